import '@mantine/core/styles.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from '@/app/app';
import { meQueryOptions } from '@/lib/auth';
import { queryClient } from '@/lib/query-client';

// Ask who the user is while the first page's code loads, rather than after.
void queryClient.prefetchQuery(meQueryOptions);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
