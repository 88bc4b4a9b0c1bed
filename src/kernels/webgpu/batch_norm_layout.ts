// SPDX-License-Identifier: Apache-2.0
import {DataFormat} from '../../kernel_names';
import {channelView} from '../gpu_util/channel_view';
import {reduceView} from '../../util/reduce_view';
import {ChannelShape} from './batch_norm_webgpu';
import {SliceLayout} from './slice_layout';

/** BatchNorm's per-channel slices (slot c = channel c) and channel-view sizes. */
export function batchNormLayout(shape: number[], dataFormat: DataFormat):
    {layout: SliceLayout, ch: ChannelShape} {
  const [, channels, inner] = channelView(shape, dataFormat);
  const v = reduceView(channelView(shape, dataFormat), [0, 2]);
  return {layout: new SliceLayout(v.shape, v.axes), ch: {channels, inner}};
}
