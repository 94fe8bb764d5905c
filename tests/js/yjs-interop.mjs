// Stock yjs 13.6 + y-websocket 3.x against our server: sync, awareness, offline merge.
// Usage: node yjs-interop.mjs ws://HOST/sync
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import WebSocket from "ws";
import { until, assertEqual } from "./events.mjs";

const base = process.argv[2];
if (!base) throw new Error("usage: node yjs-interop.mjs ws://HOST/sync");
const room = `interop/${process.pid}`;

const connect = (doc) =>
  new WebsocketProvider(base, room, doc, { WebSocketPolyfill: WebSocket, disableBc: true });
const synced = (p) => until(p, "sync", () => p.synced, "sync");
const note = (id, text) => ({ id, text });

const docA = new Y.Doc();
const docB = new Y.Doc();
const a = connect(docA);
const b = connect(docB);
await Promise.all([synced(a), synced(b)]);

// 1. Concurrent edits converge.
docA.getArray("notes").push([note("a1", "Vertrouwen")]);
docB.getArray("notes").push([note("b1", "Tijd")]);
const both = [docA, docB];
await until(both, "update", () => docA.getArray("notes").length === 2 && docB.getArray("notes").length === 2, "both notes on both");
assertEqual(docA.getArray("notes").toJSON(), docB.getArray("notes").toJSON(), "same order");

// 2. Awareness reaches the other client.
a.awareness.setLocalStateField("user", { name: "Anouk" });
await until(b.awareness, "change", () => b.awareness.getStates().get(docA.clientID)?.user?.name === "Anouk", "Anouk's presence");

// 3. Offline edits merge both ways on reconnect.
b.disconnect();
docB.getArray("notes").push([note("b2", "offline geschreven")]);
docA.getArray("notes").push([note("a2", "terwijl B weg was")]);
b.connect();
await until(both, "update", () => docA.getArray("notes").length === 4 && docB.getArray("notes").length === 4, "four notes on both");
assertEqual(docA.getArray("notes").toJSON(), docB.getArray("notes").toJSON(), "same after reconnect");

// 4. A fresh client gets everything from the server.
const docC = new Y.Doc();
const c = connect(docC);
await synced(c);
assertEqual(docC.getArray("notes").toJSON(), docA.getArray("notes").toJSON(), "late joiner");

// 5. A closed connection's presence disappears for the others.
await until(c.awareness, "change", () => c.awareness.getStates().has(docA.clientID), "A's presence at C");
a.destroy();
await until(c.awareness, "change", () => !c.awareness.getStates().has(docA.clientID), "A's presence removed");

b.destroy();
c.destroy();
console.log("yjs interop: 5 checks passed");
process.exit(0);
