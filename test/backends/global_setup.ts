// SPDX-License-Identifier: Apache-2.0
/**
 * Jest globalSetup: one Chromium per Jest worker, started once for the whole
 * run. Test files open a fresh context of their worker's browser
 * (tools/chromium.ts) instead of launching one each (about 1.7 s per launch).
 * One browser per worker rather than one for all keeps the two workers' GPU
 * work in two GPU processes, as before.
 *
 * Without Chromium nothing starts here: the browser suites then fail on their
 * own, with the install command.
 */
import * as fs from 'fs';
import type {BrowserServer} from 'playwright-core';

import {chromePath, launchChromiumServer, SHARED_ENDPOINTS_ENV} from '../../tools/chromium';

import {browserBackends} from './backends';

declare global {
  // Read by global_teardown.ts (globalSetup and globalTeardown share one context).
  var msChromiumServers: BrowserServer[]|undefined;
}

export default async function globalSetup(config: {maxWorkers: number}): Promise<void> {
  if (browserBackends().length === 0 || !fs.existsSync(chromePath())) {
    return;
  }
  const servers = await Promise.all(
      Array.from({length: Math.max(1, config.maxWorkers)}, () => launchChromiumServer()));
  globalThis.msChromiumServers = servers;
  process.env[SHARED_ENDPOINTS_ENV] = servers.map(s => s.wsEndpoint()).join(',');
}
