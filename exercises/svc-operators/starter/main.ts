// An operator: it acts on every project a customer orders on projects.create. Run one per
// operator kind and instance: OPERATOR=openstack npx tsx main.ts, OPERATOR=kubernetes npx tsx main.ts
import { connect } from "@nats-io/transport-node";
import { Svcm } from "@nats-io/services";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const namePrefix = process.env.GOINGNATS_NAME_PREFIX ?? "";
const operator = process.env.OPERATOR ?? "openstack";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: `${operator} operator` });

// TODO: the portal needs a reply from EVERY operator for each project, and the instances of one
//       operator should share the work. Which queue group do these endpoints end up in?
const svc = await new Svcm(nc).add({
  name: `${namePrefix}${operator}`,
  version: "1.0.0",
  description: `Creates ${operator} resources for new projects`,
});

svc.addGroup(`${prefix}projects`).addEndpoint("create", (_err, m) => {
  const project = m.string();
  // (A real operator would call the OpenStack or Kubernetes API here.)
  m.respond(`${operator} created ${project}`);
});
console.log(`${operator} operator running as ${svc.info().id}`);

await svc.stopped;
