// @diva.exchange/i2p-sam, unchanged, against a SAM bridge: peer B
// listens for repliable datagrams on one bridge, peer A on another
// sends COUNT of them to B's public key, half a second apart at first
// (the library's own example), then B answers each to its sender.
// Prints one line of JSON: how many B got from A and A got back.
//
//   node diva.mjs SAM_A_HOST SAM_B_HOST [COUNT]
import { createDatagram, toB32 } from '@diva.exchange/i2p-sam';

const [hostA, hostB] = process.argv.slice(2, 4);
const count = parseInt(process.argv[4] || '20', 10);
const opts = 'inbound.length=1 outbound.length=1';
let gotB = 0, gotA = 0, fromOk = 0;

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
peerA.on('data', () => { gotA++; });
peerB.on('data', (data, from) => {
  gotB++;
  if (toB32(from) === toB32(peerA.getPublicKey()))
    fromOk++;
  peerB.send(from, data);
});

const deadline = Date.now() + 120000;
for (let t = 0; t < count && Date.now() < deadline; t++) {
  peerA.send(peerB.getPublicKey(), Buffer.from(`${t} Hello World`));
  await new Promise((r) => setTimeout(r, gotB > 0 ? 50 : 1000));
}
while (gotA < count && Date.now() < deadline)
  await new Promise((r) => setTimeout(r, 500));
console.log(JSON.stringify({ sent: count, b_received: gotB,
  b_sender_ok: fromOk, a_received: gotA }));
process.exit(0);
