// @vitest-environment node
// Media through the SFU, with werift peers standing in for browsers over loopback ICE: RTP sent by
// a publisher arrives unchanged (payload, order) at a subscriber; a subscriber's connecting and its
// keyframe requests reach the publisher as PLIs; leaving tears every peer connection down.
import { RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket, useNACK, usePLI } from 'werift';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, RpcClient, sessionWithTokens, startTestServer, testState, type TestServer } from './helpers.ts';

let server: TestServer | undefined;
const peers: RTCPeerConnection[] = [];
const clients: RpcClient[] = [];

function peer(): RTCPeerConnection {
  const pc = new RTCPeerConnection({
    codecs: {
      audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 })],
      video: [new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000, rtcpFeedback: [useNACK(), usePLI()] })],
    },
    iceUseIpv4: false,
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
  });
  peers.push(pc);
  return pc;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate();
  await Promise.all(peers.splice(0).map((pc) => pc.close()));
  await server?.close();
  server = undefined;
});

describe('RTP forwarding through the werift SFU', () => {
  it('forwards video RTP to a subscriber and relays keyframe requests to the publisher', async () => {
    server = await startTestServer();
    const [ta, tb] = await sessionWithTokens(server, 'Media', 2);
    const a = await RpcClient.open(server.wsUrl);
    const b = await RpcClient.open(server.wsUrl);
    clients.push(a, b);
    await a.join(ta as string, 'pub');
    await b.join(tb as string, 'sub');

    const publisher = peer();
    const video = publisher.addTransceiver('video', { direction: 'sendonly' });
    let plisAtPublisher = 0;
    video.sender.onPictureLossIndication.subscribe(() => plisAtPublisher++);
    await publisher.setLocalDescription(await publisher.createOffer());
    await eventually(() => publisher.iceGatheringState, (s) => s === 'complete');
    const published = await a.call('publishVideo', {
      sdpOffer: publisher.localDescription?.sdp,
      hasAudio: false,
      hasVideo: true,
      videoActive: true,
      typeOfVideo: 'CAMERA',
      frameRate: 30,
      videoDimensions: '{"width":640,"height":480}',
    });
    const streamId = published.result?.id as string;
    expect(streamId).toMatch(/^str_CAM_/);
    await publisher.setRemoteDescription({ type: 'answer', sdp: published.result?.sdpAnswer as string });
    await eventually(() => publisher.connectionState, (s) => s === 'connected', 10_000);

    const subscriber = peer();
    subscriber.addTransceiver('video', { direction: 'recvonly' });
    const received: RtpPacket[] = [];
    subscriber.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((rtp) => received.push(rtp)));
    await subscriber.setLocalDescription(await subscriber.createOffer());
    await eventually(() => subscriber.iceGatheringState, (s) => s === 'complete');
    const subscribed = await b.call('receiveVideoFrom', { sender: streamId, sdpOffer: subscriber.localDescription?.sdp });
    await subscriber.setRemoteDescription({ type: 'answer', sdp: subscribed.result?.sdpAnswer as string });
    await eventually(() => subscriber.connectionState, (s) => s === 'connected', 10_000);

    let sequenceNumber = 1000;
    const send = (marker: string): void => {
      const header = new RtpHeader({ payloadType: video.codecs[0]?.payloadType ?? 96, sequenceNumber: sequenceNumber++, timestamp: sequenceNumber * 3000, marker: true });
      void video.sender.sendRtp(new RtpPacket(header, Buffer.from(marker)));
    };
    const pump = setInterval(() => send(`frame-${sequenceNumber}`), 20);
    try {
      // One PLI when the subscriber connects (owed until the publisher's first packet shows its SSRC).
      await eventually(() => plisAtPublisher, (n) => n >= 1, 10_000);
      await eventually(() => received.length, (n) => n >= 10, 10_000);
      // Payloads arrive unchanged and in order, with no header extensions from the publisher's leg.
      const payloads = received.map((p) => p.payload.toString());
      expect(payloads.every((p) => p.startsWith('frame-'))).toBe(true);
      const numbers = payloads.map((p) => Number(p.slice(6)));
      expect(numbers).toEqual([...numbers].sort((x, y) => x - y));
      expect(received.every((p) => p.header.extensions.length === 0)).toBe(true);

      // A subscriber's keyframe request reaches the publisher, even in a burst.
      const before = plisAtPublisher;
      const receiver = subscriber.getTransceivers()[0]?.receiver;
      const mediaSsrc = received[0]?.header.ssrc as number;
      for (let i = 0; i < 5; i++) void receiver?.sendRtcpPLI(mediaSsrc);
      await eventually(() => plisAtPublisher, (n) => n > before, 10_000);
    } finally {
      clearInterval(pump);
    }

    // reconnectStream from the publisher: a new leg for the same stream; the viewer keeps its leg
    // and gets the new packets, numbered on from where the old ones stopped.
    const republisher = peer();
    const video2 = republisher.addTransceiver('video', { direction: 'sendonly' });
    await republisher.setLocalDescription(await republisher.createOffer());
    await eventually(() => republisher.iceGatheringState, (s) => s === 'complete');
    const reconnected = await a.call('reconnectStream', { stream: streamId, sdpString: republisher.localDescription?.sdp });
    expect(reconnected.result?.id).toBe(streamId);
    await republisher.setRemoteDescription({ type: 'answer', sdp: reconnected.result?.sdpAnswer as string });
    await eventually(() => republisher.connectionState, (s) => s === 'connected', 10_000);
    const lastBefore = received.at(-1)?.header.sequenceNumber as number;
    let seq2 = 50_000;
    const pump2 = setInterval(() => {
      const header = new RtpHeader({ payloadType: video2.codecs[0]?.payloadType ?? 96, sequenceNumber: seq2++, timestamp: seq2 * 3000, marker: true });
      void video2.sender.sendRtp(new RtpPacket(header, Buffer.from(`again-${seq2}`)));
    }, 20);
    try {
      const afterSwitch = await eventually(
        () => received.filter((p) => p.payload.toString().startsWith('again-')),
        (list) => list.length >= 5,
        10_000,
      );
      const gap = ((afterSwitch[0]?.header.sequenceNumber as number) - lastBefore + 65536) % 65536;
      expect(gap).toBeLessThan(100);
    } finally {
      clearInterval(pump2);
    }

    const live = await testState(server);
    expect(live.counts).toMatchObject({ publishers: 1, subscribers: 1, openPeerConnections: 2 });
    await a.call('leaveRoom', {});
    await b.call('leaveRoom', {});
    const after = await eventually(() => testState(server!), (s) => s.counts.openPeerConnections === 0);
    expect(after.counts).toMatchObject({ sessions: 0, participants: 0, publishers: 0, subscribers: 0 });
  });
});
