// SPDX-License-Identifier: Apache-2.0
import {util} from '@tensorflow/tfjs-core';

/** x as [rows, rowSize] (the last gamma.rank axes form a row) and rstd's shape. */
export function rmsNormRows(xShape: number[], gammaRank: number):
    {rows: number, rowSize: number, rstdShape: number[]} {
  const lead = xShape.length - gammaRank;
  return {
    rows: util.sizeFromShape(xShape.slice(0, lead)),
    rowSize: util.sizeFromShape(xShape.slice(lead)),
    rstdShape: xShape.map((d, i) => (i < lead ? d : 1)),
  };
}
