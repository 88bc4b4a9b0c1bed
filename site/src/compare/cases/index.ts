// SPDX-License-Identifier: Apache-2.0
/** The ops of the comparison table, in menu order. */
import {batchNormCase} from './batch_norm';
import {OpCase} from './case';
import {groupNormCase} from './group_norm';
import {l2NormalizeCase} from './l2_normalize';
import {layerNormCase} from './layer_norm';
import {lrnCase} from './lrn';
import {rmsNormCase} from './rms_norm';

export const OP_CASES: OpCase[] =
    [l2NormalizeCase, lrnCase, groupNormCase, batchNormCase, layerNormCase, rmsNormCase];

export type {Column, ColumnKey, OpCase} from './case';
