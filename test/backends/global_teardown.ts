// SPDX-License-Identifier: Apache-2.0
/** Jest globalTeardown: closes global_setup.ts's browsers. */
export default async function globalTeardown(): Promise<void> {
  await Promise.all((globalThis.msChromiumServers ?? []).map(s => s.close()));
  globalThis.msChromiumServers = undefined;
}
