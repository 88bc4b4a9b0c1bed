// SPDX-License-Identifier: Apache-2.0
/**
 * `npm run bench -- --ort`: the ONNX Runtime section, printed and written to
 * bench/results/ort[.quick|.partial].{json,md}. Loaded lazily by run.ts so
 * the other sections never touch ORT.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import {formatTargets} from '../report';
import {machineInfo} from '../run';
import {SuiteOptions} from '../suite';
import {checkOrtTargets, formatOrtRows} from './report';
import {ortSizes, runOrtCases} from './suite';

export async function runOrtSection(
    opts: SuiteOptions, explicitSizes: boolean, log: (line: string) => void): Promise<void> {
  if (opts.pass === 'backward') {
    log('\nONNX Runtime skipped: ORT has no backward kernels (--pass=backward).');
    return;
  }
  const sizes = ortSizes(opts, explicitSizes);
  const load = os.loadavg();
  log(`\nONNX Runtime (Node), sizes ${sizes.join(', ')}, load average ` +
      `${load.map(l => l.toFixed(2)).join(' ')}:`);
  const {rows, info} = await runOrtCases(opts, sizes, log);
  const targets = checkOrtTargets(rows);
  log('\n## ONNX Runtime\n');
  log(formatOrtRows(rows));
  log('\nTargets (CPU time per call; wall-clock ratio alongside):');
  log(formatTargets(targets));

  const filtered = opts.ops != null || sizes.join() !== 'medium,large';
  const suffix = opts.quick ? '.quick' : filtered ? '.partial' : '';
  const file = path.join(__dirname, '..', 'results', `ort${suffix}.json`);
  fs.mkdirSync(path.dirname(file), {recursive: true});
  const machine = machineInfo();
  const date = new Date().toISOString();
  const loadAverage = {start: load, end: os.loadavg()};
  fs.writeFileSync(file, `${JSON.stringify({backend: 'ort', date, options: opts, sizes, machine,
                                            loadAverage, ort: info, rows, targets}, null, 2)}\n`);
  const md = [
    `Run of ${date} (${opts.quick ? 'quick' : 'full'}), node ${machine.node}, tfjs ${machine.tfjs}, ` +
        `onnxruntime-node ${info.onnxruntimeNode}, onnxruntime-web ${info.onnxruntimeWeb}, ` +
        `${machine.nproc} cpus (${machine.cpu}), load average ` +
        `${loadAverage.start.map(l => l.toFixed(2)).join(' ')} at the start, ` +
        `${loadAverage.end.map(l => l.toFixed(2)).join(' ')} at the end.`,
    '', formatOrtRows(rows, true), '', formatTargets(targets, true), '',
  ];
  fs.writeFileSync(file.replace(/\.json$/, '.md'), md.join('\n'));
  log(`\nwrote ${path.relative(process.cwd(), file)}`);
}
