// SPDX-License-Identifier: Apache-2.0
import * as tf from '@tensorflow/tfjs-core';

// Silences tfjs's "install tfjs-node" banner; tests that check warnings unset it.
tf.env().set('IS_TEST', true);
