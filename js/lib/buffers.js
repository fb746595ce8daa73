// Read an array that Python packed with backprop_widgets/widgets/_buffers.py:
// {shape: [...], dtype: "float64", data: DataView | ArrayBuffer | Uint8Array}.

const TYPES = {
  float64: Float64Array,
  float32: Float32Array,
  int32: Int32Array,
  uint8: Uint8Array,
};

/** @returns {{shape: number[], data: Float64Array | Float32Array | Int32Array | Uint8Array}} */
export function unpack(packed) {
  if (!packed || !packed.data) return { shape: [0], data: new Float64Array(0) };
  const Ctor = TYPES[packed.dtype] || Float64Array;
  let d = packed.data;
  let buffer, offset, length;
  if (d instanceof ArrayBuffer) {
    buffer = d; offset = 0; length = d.byteLength;
  } else {
    buffer = d.buffer; offset = d.byteOffset; length = d.byteLength;
  }
  const n = Math.floor(length / Ctor.BYTES_PER_ELEMENT);
  // The typed array needs an aligned offset; copy when the buffer slice is not aligned.
  if (offset % Ctor.BYTES_PER_ELEMENT !== 0) {
    const copy = new Uint8Array(length);
    copy.set(new Uint8Array(buffer, offset, length));
    return { shape: packed.shape, data: new Ctor(copy.buffer, 0, n) };
  }
  return { shape: packed.shape, data: new Ctor(buffer, offset, n) };
}

/** Entry (i, j) of a packed 2-D array, row-major. */
export function at(arr, i, j) {
  return arr.data[i * arr.shape[1] + j];
}
