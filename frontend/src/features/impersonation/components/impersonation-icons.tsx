import type { SVGProps } from 'react';

type IconProps = Omit<SVGProps<SVGSVGElement>, 'children'> & { size?: number };

// Outline icons in the style of Tabler Icons (MIT), like those in components/icons.tsx, for
// this feature only. Decorative: whatever shows them carries the accessible name.
function icon(paths: string[]) {
  return function Icon({ size = 18, ...props }: IconProps) {
    return (
      <svg
        xmlns="http://www.w3.org/2000/svg"
        width={size}
        height={size}
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth={1.75}
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden
        focusable={false}
        {...props}
      >
        {paths.map((d) => (
          <path key={d} d={d} />
        ))}
      </svg>
    );
  };
}

/** Someone in disguise: the sign of an impersonation. */
export const IconSpy = icon([
  'M3 11h18',
  'M5 11v-4a3 3 0 0 1 3 -3h8a3 3 0 0 1 3 3v4',
  'M4 17a3 3 0 1 0 6 0a3 3 0 1 0 -6 0',
  'M14 17a3 3 0 1 0 6 0a3 3 0 1 0 -6 0',
  'M10 17h4',
]);
/** Stop. */
export const IconStop = icon(['M5 7a2 2 0 0 1 2 -2h10a2 2 0 0 1 2 2v10a2 2 0 0 1 -2 2h-10a2 2 0 0 1 -2 -2z']);
/** Minimise: a window collapsing into its corner. */
export const IconMinimise = icon(['M15 19v-2a2 2 0 0 1 2 -2h2', 'M15 5v2a2 2 0 0 0 2 2h2', 'M5 15h2a2 2 0 0 1 2 2v2', 'M5 9h2a2 2 0 0 0 2 -2v-2']);
/** Alert. */
export const IconAlertTriangle = icon([
  'M12 9v4',
  'M10.363 3.591l-8.106 13.534a1.914 1.914 0 0 0 1.636 2.871h16.214a1.914 1.914 0 0 0 1.636 -2.87l-8.106 -13.536a1.914 1.914 0 0 0 -3.274 0z',
  'M12 16h.01',
]);
