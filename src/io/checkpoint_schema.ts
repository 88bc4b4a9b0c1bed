/**
 * MindSpore's checkpoint schema (mindspore/ccsrc/utils/checkpoint.proto,
 * proto2), declared through protobufjs's reflection API so no .proto file or
 * parser has to ship:
 *
 *     message Checkpoint {
 *       message Value {
 *         required string tag = 1;
 *         oneof value { TensorProto tensor = 2; MapTensorProto maptensor = 3; }
 *       }
 *       repeated Value value = 1;
 *     }
 *     message TensorProto {
 *       repeated int64 dims = 1;
 *       required string tensor_type = 2;
 *       required bytes tensor_content = 3;
 *     }
 *     message MapTensorProto { repeated TensorProto tensor = 1; }
 *
 * A .ckpt file is a concatenation of serialized Checkpoint messages (MindSpore
 * writes one per parameter slice), which protobuf reads as one message whose
 * `value` list is the concatenation.
 */
// The .js extension: protobufjs has no exports map, and Node's ESM resolver needs it.
import protobuf from 'protobufjs/light.js';

/** A decoded TensorProto (int64 dims arrive as numbers or Long objects). */
export interface TensorProto {
  dims: Array<number|protobuf.Long>;
  tensor_type: string;
  tensor_content: Uint8Array;
}

export interface MapTensorProto {
  tensor: TensorProto[];
}

export interface CheckpointValue {
  tag: string;
  tensor?: TensorProto|null;
  maptensor?: MapTensorProto|null;
}

export interface CheckpointMessage {
  value: CheckpointValue[];
}

const root = protobuf.Root.fromJSON({
  nested: {
    Checkpoint: {
      fields: {value: {rule: 'repeated', type: 'Value', id: 1}},
      nested: {
        Value: {
          oneofs: {value: {oneof: ['tensor', 'maptensor']}},
          fields: {
            tag: {rule: 'required', type: 'string', id: 1},
            tensor: {type: 'TensorProto', id: 2},
            maptensor: {type: 'MapTensorProto', id: 3},
          },
        },
      },
    },
    TensorProto: {
      fields: {
        // proto2 repeated scalars are unpacked unless declared packed; write
        // them as MindSpore's Python protobuf does (the reader accepts both).
        dims: {rule: 'repeated', type: 'int64', id: 1, options: {packed: false}},
        tensor_type: {rule: 'required', type: 'string', id: 2},
        tensor_content: {rule: 'required', type: 'bytes', id: 3},
      },
    },
    MapTensorProto: {
      fields: {tensor: {rule: 'repeated', type: 'TensorProto', id: 1}},
    },
  },
});

export const CheckpointType: protobuf.Type = root.lookupType('Checkpoint');
