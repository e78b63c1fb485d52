// The artifact uploader: stores a build in the object store, then records it in the BUILDS stream.
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { connect } from "@nats-io/transport-node";
import { jetstream } from "@nats-io/jetstream";
import { Objm } from "@nats-io/obj";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const names = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "artifact uploader" });
const js = jetstream(nc);
const artifacts = await new Objm(nc).open(`${names}ARTIFACTS`);

const sub = nc.subscribe(`${prefix}artifacts.upload`);
console.log(`uploader listening on ${sub.getSubject()}`);
for await (const m of sub) {
  try {
    const { app, version, path } = m.json<{ app: string; version: string; path: string }>();
    const name = `${app}-${version}.tgz`;
    // The object store cuts the file into chunks (128 KiB by default), each one message, and
    // stores a small meta record (name, size, digest, metadata) next to them.
    const file = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
    const info = await artifacts.put({ name, description: `${app} build ${version}`, metadata: { app, version } }, file);

    // The stream gets a small record that points to the object, not the bytes.
    const record = { app, version, bucket: info.bucket, object: info.name, size: info.size, digest: info.digest };
    await js.publish(`${prefix}builds.${app}`, JSON.stringify(record));
    console.log(`${name}: ${info.size} bytes in ${info.chunks} chunks, ${info.digest}`);
    m.respond(`stored ${name}`);
  } catch (err) {
    m.respond(`error: ${(err as Error).message}`);
  }
}
