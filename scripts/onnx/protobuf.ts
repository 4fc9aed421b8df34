/**
 * A minimal protocol-buffers writer: the wire types the ONNX messages use
 * (varint, 32-bit, length-delimited), nothing else. Fields are written in
 * call order; nested messages are written by a child writer and embedded.
 */

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;

const textEncoder = new TextEncoder();

/** Accumulates one message's encoded fields. */
export class ProtoWriter {
  readonly #chunks: Uint8Array[] = [];
  #pending: number[] = [];

  /** A varint (int32, int64 or enum) field; negative values take ten bytes, as protobuf encodes them. */
  int(field: number, value: number | bigint): this {
    this.#key(field, WIRE_VARINT);
    this.#varint(value);
    return this;
  }

  /** A packed repeated varint field (`repeated int64`). */
  ints(field: number, values: readonly (number | bigint)[]): this {
    const packed = new ProtoWriter();
    for (const value of values) packed.#varint(value);
    return this.bytes(field, packed.finish());
  }

  /** A UTF-8 string field. */
  string(field: number, value: string): this {
    return this.bytes(field, textEncoder.encode(value));
  }

  /** A length-delimited bytes field; `data` is referenced, not copied, until `finish`. */
  bytes(field: number, data: Uint8Array): this {
    this.#key(field, WIRE_LENGTH_DELIMITED);
    this.#varint(data.length);
    this.#flush();
    this.#chunks.push(data);
    return this;
  }

  /** An embedded message field, written by `write` into a child writer. */
  message(field: number, write: (writer: ProtoWriter) => void): this {
    const child = new ProtoWriter();
    write(child);
    return this.bytes(field, child.finish());
  }

  /** The encoded message. */
  finish(): Uint8Array {
    this.#flush();
    const length = this.#chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const out = new Uint8Array(length);
    let offset = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  #key(field: number, wireType: number): void {
    this.#varint((field << 3) | wireType);
  }

  #varint(value: number | bigint): void {
    let rest = BigInt.asUintN(64, BigInt(value));
    while (rest >= 0x80n) {
      this.#pending.push(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    this.#pending.push(Number(rest));
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    this.#chunks.push(Uint8Array.from(this.#pending));
    this.#pending = [];
  }
}
