// Reads Orderflow's events from Node.js, as a service of another team would: a consumer group of its own,
// read_committed, lz4, values decoded with the writer's schema from the schema registry, the envelope from the headers.
//
//   npm ci --ignore-scripts
//   node consumer.mjs --bootstrap 127.0.0.1:9092 --registry http://127.0.0.1:8081 --group my-team \
//       --topics orders.events,payments.events [--key <order id>] [--count <n>]
//
// Prints each event as a JSON line: topic, partition, offset, key, envelope, type and payload. With --count it stops
// after that many events (of --key only, when given); otherwise it runs until Ctrl-C.
import { parseArgs } from 'node:util';
import avro from 'avsc';
import kafkajs from 'kafkajs';
import registryClient from '@kafkajs/confluent-schema-registry';
import lz4 from 'lz4js';

// Both are CommonJS modules: their exports come from the default import.
const { CompressionCodecs, CompressionTypes, Kafka, logLevel } = kafkajs;
const { SchemaRegistry, SchemaType } = registryClient;

const { values: options } = parseArgs({
  options: {
    bootstrap: { type: 'string', default: process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:9092' },
    registry: { type: 'string', default: process.env.SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081' },
    group: { type: 'string' },
    topics: { type: 'string', default: 'orders.events' },
    key: { type: 'string' },
    count: { type: 'string' },
  },
});
if (!options.group) {
  console.error('--group is required: the consumer group, which keeps your position across restarts');
  process.exit(2);
}

// Orderflow's topics are lz4-compressed (the LZ4 frame format); kafkajs has no codec of its own for it.
CompressionCodecs[CompressionTypes.LZ4] = () => ({
  compress: async (encoder) => Buffer.from(lz4.compress(encoder.buffer)),
  decompress: async (buffer) => Buffer.from(lz4.decompress(buffer)),
});

// Money is an Avro decimal: a big-endian two's-complement unscaled integer and the schema's scale. Kept as a string,
// never a float, so 42.50 stays 42.50.
class Decimal extends avro.types.LogicalType {
  constructor(schema, opts) {
    super(schema, opts);
    this.scale = schema.scale ?? 0;
  }

  _fromValue(bytes) {
    let unscaled = 0n;
    for (const byte of bytes) unscaled = (unscaled << 8n) | BigInt(byte);
    if (bytes.length > 0 && bytes[0] & 0x80) unscaled -= 1n << BigInt(bytes.length * 8);
    const negative = unscaled < 0n;
    const digits = (negative ? -unscaled : unscaled).toString().padStart(this.scale + 1, '0');
    const whole = digits.slice(0, digits.length - this.scale);
    const fraction = this.scale > 0 ? '.' + digits.slice(digits.length - this.scale) : '';
    return (negative ? '-' : '') + whole + fraction;
  }

  _toValue() {
    throw new Error('this example only reads');
  }
}

// Instants are Avro timestamp-millis: shown as ISO-8601.
class TimestampMillis extends avro.types.LogicalType {
  _fromValue(millis) {
    return new Date(Number(millis)).toISOString();
  }

  _toValue() {
    throw new Error('this example only reads');
  }
}

const registry = new SchemaRegistry(
  { host: options.registry },
  { [SchemaType.AVRO]: { logicalTypes: { decimal: Decimal, 'timestamp-millis': TimestampMillis } } },
);
const kafka = new Kafka({
  clientId: options.group,
  brokers: options.bootstrap.split(','),
  logLevel: logLevel.WARN,
});
// readUncommitted: false is isolation.level=read_committed: dead letters are replayed in Kafka transactions, and an
// aborted one must not be read.
const consumer = kafka.consumer({ groupId: options.group, readUncommitted: false });

const limit = options.count === undefined ? Infinity : Number.parseInt(options.count, 10);
let printed = 0;

const stop = async (code) => {
  await consumer.disconnect();
  process.exit(code);
};
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

await consumer.connect();
await consumer.subscribe({ topics: options.topics.split(','), fromBeginning: true });
await consumer.run({
  // The offset is committed after this returns: what throws here is read again. Make the effect idempotent by the
  // envelope's event-id (Orderflow's services keep an inbox of the ids they applied, in the effect's transaction).
  eachMessage: async ({ topic, partition, message }) => {
    const envelope = {};
    for (const [name, value] of Object.entries(message.headers ?? {})) {
      // kafkajs gives a header sent more than once as an array: the last one counts, as in Kafka's Java client.
      const last = Array.isArray(value) ? value[value.length - 1] : value;
      if (last !== undefined && last !== null) envelope[name] = Buffer.from(last).toString('utf8');
    }
    // A dead letter replayed for one consumer group is passed by every other: they handled it the first time.
    if (envelope['dlq-replay-for'] !== undefined && envelope['dlq-replay-for'] !== options.group) return;
    const key = message.key?.toString('utf8') ?? null;
    if (options.key !== undefined && key !== options.key) return;
    // The value is the registry's wire format: a zero byte, the writer schema's 4-byte id, then Avro binary.
    const payload = await registry.decode(message.value);
    console.log(JSON.stringify({
      topic, partition, offset: message.offset, key, type: envelope['event-type'], envelope, payload,
    }));
    printed += 1;
    if (printed >= limit) setImmediate(() => stop(0));
  },
});
