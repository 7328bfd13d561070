// @diva.exchange/i2p-sam, unchanged, against a SAM bridge: peer B
// listens for repliable datagrams on one bridge, peer A on another.
// A probes B every 2 s until B hears one (B's LeaseSet may not be at
// the floodfills yet when both sessions have just been made), then
// sends COUNT datagrams to B's public key; B answers each to its
// sender.  Prints one line of JSON: how many of the COUNT B got (and
// from A), and how many answers A got.
//
//   node diva.mjs SAM_A_HOST SAM_B_HOST [COUNT]
import { createDatagram, toB32 } from '@diva.exchange/i2p-sam';

const [hostA, hostB] = process.argv.slice(2, 4);
const count = parseInt(process.argv[4] || '20', 10);
const opts = 'inbound.length=1 outbound.length=1';
let probed = 0, gotB = 0, gotA = 0, fromOk = 0;

const peerA = await createDatagram({
  session: { options: opts },
  sam: { host: hostA, portTCP: 7656 },
  listen: { address: hostA, port: 20201 },
});
const peerB = await createDatagram({
  session: { options: opts },
  sam: { host: hostB, portTCP: 7656 },
  listen: { address: hostB, port: 20202 },
});
peerA.on('data', (data) => {
  if (data.toString().startsWith('msg '))
    gotA++;
});
peerB.on('data', (data, from) => {
  if (data.toString().startsWith('probe ')) {
    probed++;
    return;
  }
  gotB++;
  if (toB32(from) === toB32(peerA.getPublicKey()))
    fromOk++;
  peerB.send(from, data);
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const deadline = Date.now() + 150000;
for (let p = 0; probed === 0 && Date.now() < deadline; p++) {
  peerA.send(peerB.getPublicKey(), Buffer.from(`probe ${p}`));
  await sleep(2000);
}
for (let t = 0; t < count; t++) {
  peerA.send(peerB.getPublicKey(), Buffer.from(`msg ${t} Hello World`));
  await sleep(50);
}
while (gotA < count && Date.now() < deadline)
  await sleep(500);
console.log(JSON.stringify({ sent: count, probes_heard: probed,
  b_received: gotB, b_sender_ok: fromOk, a_received: gotA }));
process.exit(0);
