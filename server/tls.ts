// A self-signed certificate made at start for --tls: phones on a LAN need https for getUserMedia,
// and openvidu-browser 2.22 always opens wss://. Covers localhost, 127.0.0.1 and the ICE/LAN
// addresses, so one "accept the risk" click per device is enough.
import { networkInterfaces } from 'node:os';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  key: string;
  cert: string;
}

function localAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((i) => i !== undefined && i.family === 'IPv4')
    .map((i) => i!.address);
}

export async function makeSelfSignedCertificate(hostnames: string[]): Promise<TlsMaterial> {
  const ips = [...new Set(['127.0.0.1', ...localAddresses(), ...hostnames.filter((h) => /^\d+\.\d+\.\d+\.\d+$/.test(h))])];
  const dns = [...new Set(['localhost', ...hostnames.filter((h) => !/^\d+\.\d+\.\d+\.\d+$/.test(h))])];
  const notAfter = new Date();
  notAfter.setDate(notAfter.getDate() + 30);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [...dns.map((value) => ({ type: 2 as const, value })), ...ips.map((ip) => ({ type: 7 as const, ip }))],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
