// SPDX-License-Identifier: Apache-2.0
/** A .wasm file bundled by esbuild's binary loader (tools/chromium.ts): its bytes. */
declare module '*.wasm' {
  const bytes: Uint8Array;
  export default bytes;
}
