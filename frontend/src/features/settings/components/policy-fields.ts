/** A yes/no setting of the impersonation policy. */
export interface BooleanSetting {
  key: 'supportEnabled' | 'configureEnabled' | 'requireReason' | 'bindFootprint' | 'maskPersonalData' | 'disableExport' | 'notifyTenantAdmins';
  label: string;
  help: string;
  /** The stricter value: a layer can move a setting towards it, never away. */
  strict: boolean;
}

/** A limit of the impersonation policy, in minutes. */
export interface NumberSetting {
  key: 'maxDurationMinutes' | 'idleTimeoutMinutes' | 'reauthWithinMinutes';
  label: string;
  help: string;
  min: number;
  max: number;
}

/** The policy's modes (product.md 3.4). */
export const modeSettings: BooleanSetting[] = [
  {
    key: 'supportEnabled',
    label: 'Impersonate & Support',
    help: 'Lets support staff step into a tenant to help its people (employees, contacts). Off: the mode leaves every menu and the server refuses it.',
    strict: false,
  },
  {
    key: 'configureEnabled',
    label: 'Impersonate & Configure',
    help: 'Lets implementers step into a tenant to set it up (business units, skills, branding). Off: the mode leaves every menu and the server refuses it.',
    strict: false,
  },
];

/** What is asked before a session starts. */
export const startSettings: BooleanSetting[] = [
  {
    key: 'requireReason',
    label: 'Reason required',
    help: 'A free-text reason (a ticket number, say), 10–500 characters, is asked for before every session and kept on record.',
    strict: true,
  },
];

/** The limits, in minutes. */
export const numberSettings: NumberSetting[] = [
  {
    key: 'maxDurationMinutes',
    label: 'Maximum duration',
    help: 'A hard limit: the session ends after this many minutes and is never extended. At most 8 hours (480 minutes).',
    min: 1,
    max: 480,
  },
  {
    key: 'idleTimeoutMinutes',
    label: 'Idle timeout',
    help: 'No request for this many minutes ends the session.',
    min: 1,
    max: 480,
  },
  {
    key: 'reauthWithinMinutes',
    label: 'Re-authentication window',
    help: 'If the person last signed in at the identity provider longer ago than this, they sign in there again before the session starts. 0 asks every time.',
    min: 0,
    max: 1440,
  },
];

/** The safeguards while a session runs. */
export const safeguardSettings: BooleanSetting[] = [
  {
    key: 'bindFootprint',
    label: 'Bind to footprint',
    help: 'A request from a different IP address or browser (User-Agent) ends the session.',
    strict: true,
  },
  {
    key: 'maskPersonalData',
    label: 'Mask personal data',
    help: 'Contacts’ email addresses and phone numbers are shown masked while impersonating.',
    strict: true,
  },
  {
    key: 'disableExport',
    label: 'Disable export',
    help: 'Exports are refused while impersonating.',
    strict: true,
  },
  {
    key: 'notifyTenantAdmins',
    label: 'Notify tenant admins',
    help: 'The tenant’s admins see the access in their Access Log, and a notice in their tenant app.',
    strict: true,
  },
];

/** Every yes/no setting, in the order forms show them. */
export const booleanSettings: BooleanSetting[] = [...modeSettings, ...startSettings, ...safeguardSettings];

/** Field → label, for the server's field errors. */
export const policyFieldLabels: Record<string, string> = Object.fromEntries(
  [...booleanSettings, ...numberSettings].map((s) => [s.key, s.label]),
);

/** "15 min", "1 h", "1 h 30 min". */
export function formatMinutes(n: number): string {
  if (n < 60) return `${n} min`;
  const h = Math.floor(n / 60);
  const m = n % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}
