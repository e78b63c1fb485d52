// City search: answers each request with the matching cities, one message per city, and an empty
// message at the end (the sentinel), so a requester knows the answer is complete.
import { connect } from "@nats-io/transport-node";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "city search" });

const CITIES = [
  "oslo", "bergen", "trondheim", "stavanger", "drammen", "fredrikstad", "kristiansand",
  "sandnes", "tromsø", "sarpsborg", "skien", "ålesund", "sandefjord", "haugesund",
  "tønsberg", "moss", "porsgrunn", "bodø", "arendal", "hamar",
];

const sub = nc.subscribe(`${prefix}cities.search`);
console.log(`searching ${CITIES.length} cities on ${sub.getSubject()}`);

for await (const m of sub) {
  const text = m.string();
  for (const city of CITIES.filter((c) => c.includes(text))) {
    m.respond(city); // every reply goes to the same reply subject
  }
  m.respond(); // the sentinel: an empty message ends the answer, also when nothing matched
}
