// SPDX-License-Identifier: Apache-2.0
// Lets README blocks run as written: 'tfjs-mindspore-norm' (and its subpaths)
// resolve to this repo's sources (node -r this file -r ts-node/register), and
// console.log prints each value on one line, so the test can compare it with
// the block's `// →` comment.
const Module = require('module');
const path = require('path');
const util = require('util');

util.inspect.defaultOptions.breakLength = Infinity;

const SRC = path.join(__dirname, '..', '..', 'src');
const original = Module._resolveFilename;
Module._resolveFilename = function(request, ...rest) {
  if (request === 'tfjs-mindspore-norm' || request.startsWith('tfjs-mindspore-norm/')) {
    const sub = request.slice('tfjs-mindspore-norm'.length).replace(/^\//, '');
    return original.call(this, path.join(SRC, sub === '' ? 'index' : sub), ...rest);
  }
  return original.call(this, request, ...rest);
};
