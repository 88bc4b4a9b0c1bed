// SPDX-License-Identifier: Apache-2.0
/**
 * ONNX Runtime for the bench, installed on demand into bench/.ort/ (ignored
 * by git): onnxruntime-node (native CPU) and onnxruntime-web (its wasm build,
 * run in Node). They are ~430 MB together, so they are no devDependency.
 */
import {execSync} from 'child_process';
import * as fs from 'fs';
import {createRequire} from 'module';
import * as path from 'path';

export const ORT_VERSION = '1.30.0';
export const ORT_DIR = path.join(__dirname, '..', '.ort');
export const ORT_PACKAGES = ['onnxruntime-node', 'onnxruntime-web'];
/**
 * onnxruntime-node's postinstall fetches GPU binaries from a host this machine
 * cannot reach; the CPU binary ships in the npm tarball, so skip it.
 */
export const INSTALL_COMMAND = `ONNXRUNTIME_NODE_INSTALL=skip npm install --prefix bench/.ort ` +
    `--no-audit --no-fund --save-exact ${ORT_PACKAGES.map(p => `${p}@${ORT_VERSION}`).join(' ')}`;

/** The subset of onnxruntime-common's API the bench uses. */
export interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
  dispose?(): void;
}

export interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

export interface SessionOptions {
  executionProviders?: string[];
  intraOpNumThreads?: number;
  interOpNumThreads?: number;
  executionMode?: 'sequential'|'parallel';
  graphOptimizationLevel?: 'disabled'|'basic'|'extended'|'all';
}

export interface Ort {
  InferenceSession: {create(model: Uint8Array, options?: SessionOptions): Promise<OrtSession>};
  Tensor: new(type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
  env: {versions: Record<string, string>, wasm: {numThreads?: number}, logLevel?: string};
}

function installedVersion(pkg: string): string|null {
  try {
    const file = path.join(ORT_DIR, 'node_modules', pkg, 'package.json');
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as {version: string}).version;
  } catch {
    return null;
  }
}

/** Installs both packages into bench/.ort/ unless this version is there already. */
export function ensureOrtInstalled(log: (line: string) => void): void {
  if (ORT_PACKAGES.every(p => installedVersion(p) === ORT_VERSION)) {
    return;
  }
  log(`ORT: installing ${ORT_PACKAGES.join(', ')} ${ORT_VERSION} into bench/.ort/ (~430 MB): ` +
      INSTALL_COMMAND);
  fs.mkdirSync(ORT_DIR, {recursive: true});
  execSync(INSTALL_COMMAND.replace(/^ONNXRUNTIME_NODE_INSTALL=skip /, ''), {
    cwd: path.join(__dirname, '..', '..'),
    env: {...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip'},
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (const p of ORT_PACKAGES) {
    if (installedVersion(p) !== ORT_VERSION) {
      throw new Error(`ORT: ${p}@${ORT_VERSION} is not in bench/.ort/ after '${INSTALL_COMMAND}'`);
    }
  }
}

const ortRequire = () => createRequire(path.join(ORT_DIR, 'package.json'));

/** onnxruntime-node: the native CPU execution provider. */
export function loadOrtNode(): Ort {
  return ortRequire()('onnxruntime-node') as Ort;
}

/** onnxruntime-web's wasm build, in Node, on one thread (no worker threads). */
export function loadOrtWeb(): Ort {
  const ort = ortRequire()('onnxruntime-web') as Ort;
  ort.env.wasm.numThreads = 1;
  return ort;
}

/** One thread, sequential: the single-core comparison of issue 13. */
export const NODE_SESSION_OPTIONS: SessionOptions = {
  executionProviders: ['cpu'],
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
};

export const WEB_SESSION_OPTIONS: SessionOptions = {
  executionProviders: ['wasm'],
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
};
