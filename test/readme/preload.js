// SPDX-License-Identifier: Apache-2.0
// Preloaded into the child Node that runs a README block (node -r this file):
// console.log prints each value on one line, so the test can compare it with
// the block's `// →` comment.
require('util').inspect.defaultOptions.breakLength = Infinity;
