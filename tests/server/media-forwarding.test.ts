// @vitest-environment node
// Media through the SFU, with werift peers standing in for browsers over loopback ICE: RTP sent by
// a publisher arrives unchanged (payload, order) at a subscriber; a subscriber's connecting and its
// keyframe requests reach the publisher as PLIs; a publisher's reconnectStream keeps the viewer;
// leaving tears every peer connection down; a late viewer is first sent the video since the last
// keyframe.
import { RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket, useNACK, usePLI, type RTCRtpTransceiver } from 'werift';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { eventually, RpcClient, sessionWithTokens, startTestServer, testState, type RpcMessage, type TestServer } from './helpers.ts';

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

/** Legs that needed their one retry, in this file: a failure signal, logged and capped in afterAll. */
const retriedLegs: string[] = [];
const RETRY_BUDGET = 2; // of the 7 legs this file connects

/** Offers from a fresh peer with one transceiver per kind (video only unless told), sends the offer
 * with `signal`, applies the answer, and waits until both this peer and the server's endpoint are
 * connected.
 *
 * Why a retry at all: werift as a DTLS client (the server's role here) fails its handshake against
 * another werift peer on the first leg of a run about half the time (a retransmitted
 * HelloVerifyRequest); the test peer then reports "failed" while the server's endpoint is still
 * "connecting". Chromium sends no HelloVerifyRequest, so browsers never hit it. Only that pattern is
 * retried, once, with a fresh peer (as a browser would reconnect its stream); a server endpoint that
 * itself fails, or a second failure, fails the test, and more than RETRY_BUDGET retried legs in the
 * file fail it too. */
async function connectLeg(
  direction: 'sendonly' | 'recvonly',
  endpointId: () => string,
  signal: (sdp: string, attempt: number) => Promise<RpcMessage>,
  onPeer: (pc: RTCPeerConnection) => void = () => {},
  kinds: readonly ('audio' | 'video')[] = ['video'],
): Promise<{ pc: RTCPeerConnection; transceiver: RTCRtpTransceiver; transceivers: Map<'audio' | 'video', RTCRtpTransceiver>; reply: RpcMessage }> {
  for (let attempt = 0; ; attempt++) {
    const pc = peer();
    onPeer(pc);
    const transceivers = new Map(kinds.map((kind) => [kind, pc.addTransceiver(kind, { direction })] as const));
    await pc.setLocalDescription(await pc.createOffer());
    await eventually(() => pc.iceGatheringState, (s) => s === 'complete');
    const reply = await signal(pc.localDescription?.sdp ?? '', attempt);
    await pc.setRemoteDescription({ type: 'answer', sdp: reply.result?.sdpAnswer as string });
    const states = await eventually(
      async () => {
        const endpoint = (await testState(server!)).endpoints.find((e) => e.id === endpointId());
        return [pc.connectionState, endpoint?.connectionState ?? 'missing'];
      },
      ([mine, theirs]) => (mine === 'connected' && theirs === 'connected') || mine === 'failed' || theirs === 'failed',
      20_000,
    );
    const [mine, theirs] = states;
    if (attempt === 0 && mine === 'failed' && theirs !== 'failed') {
      retriedLegs.push(`${endpointId()} (test peer ${mine}, server endpoint ${theirs})`);
      console.warn(`connectLeg: retrying ${endpointId()}: test peer ${mine}, server endpoint ${theirs}`);
      await pc.close();
      continue;
    }
    expect(states, 'this peer and the server endpoint both connect').toEqual(['connected', 'connected']);
    const transceiver = (transceivers.get('video') ?? transceivers.get('audio')) as RTCRtpTransceiver;
    return { pc, transceiver, transceivers, reply };
  }
}

afterAll(() => {
  expect(retriedLegs.length, `legs retried: ${retriedLegs.join('; ')}`).toBeLessThanOrEqual(RETRY_BUDGET);
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate();
  await Promise.all(peers.splice(0).map((pc) => pc.close()));
  await server?.close();
  server = undefined;
});

/** A fresh server with two participants joined in `sessionId`: `a` will publish, `b` subscribe. */
async function publisherAndSubscriberIn(sessionId: string) {
  server = await startTestServer();
  const [ta, tb] = await sessionWithTokens(server, sessionId, 2);
  const a = await RpcClient.open(server.wsUrl);
  const b = await RpcClient.open(server.wsUrl);
  clients.push(a, b);
  const publisherId = (await a.join(ta as string, 'pub')).id as string;
  const subscriberId = (await b.join(tb as string, 'sub')).id as string;
  return { a, b, publisherId, subscriberId };
}

describe('RTP forwarding through the werift SFU', () => {
  it('forwards video RTP to a subscriber and relays keyframe requests to the publisher', async () => {
    const { a, b, publisherId, subscriberId } = await publisherAndSubscriberIn('Media');

    let streamId = '';
    // A retried leg republishes the same stream, as openvidu-browser does.
    const publisher = await connectLeg('sendonly', () => `${publisherId}|${publisherId}`, async (sdp, attempt) => {
      const reply = attempt === 0
        ? await a.call('publishVideo', { sdpOffer: sdp, hasAudio: false, hasVideo: true, videoActive: true, typeOfVideo: 'CAMERA', frameRate: 30, videoDimensions: '{"width":640,"height":480}' })
        : await a.call('reconnectStream', { stream: streamId, sdpString: sdp });
      streamId = reply.result?.id as string;
      return reply;
    });
    expect(streamId).toMatch(/^str_CAM_/);
    let plisAtPublisher = 0;
    publisher.transceiver.sender.onPictureLossIndication.subscribe(() => plisAtPublisher++);

    const received: RtpPacket[] = [];
    const subscriber = await connectLeg('recvonly', () => `${subscriberId}|${publisherId}`, async (sdp) => {
      received.length = 0;
      return b.call('receiveVideoFrom', { sender: streamId, sdpOffer: sdp });
    });
    // The receiver's track exists once the answer is applied; nothing is sent before the pump starts.
    subscriber.transceiver.receiver.track.onReceiveRtp.subscribe((rtp) => received.push(rtp));

    let sequenceNumber = 1000;
    const sendFrom = (transceiver: RTCRtpTransceiver, prefix: string): void => {
      const header = new RtpHeader({ payloadType: transceiver.codecs[0]?.payloadType ?? 96, sequenceNumber: sequenceNumber++, timestamp: sequenceNumber * 3000, marker: true });
      void transceiver.sender.sendRtp(new RtpPacket(header, Buffer.from(`${prefix}-${sequenceNumber}`)));
    };
    const pump = setInterval(() => sendFrom(publisher.transceiver, 'frame'), 20);
    try {
      // One PLI when the subscriber connects (owed until the publisher's first packet shows its SSRC).
      await eventually(() => plisAtPublisher, (n) => n >= 1, 20_000);
      await eventually(() => received.length, (n) => n >= 10, 20_000);
      // Payloads arrive unchanged and in order, with no header extensions from the publisher's leg.
      const payloads = received.map((p) => p.payload.toString());
      expect(payloads.every((p) => p.startsWith('frame-'))).toBe(true);
      const numbers = payloads.map((p) => Number(p.slice(6)));
      expect(numbers).toEqual([...numbers].sort((x, y) => x - y));
      expect(received.every((p) => p.header.extensions.length === 0)).toBe(true);

      // A subscriber's keyframe request reaches the publisher, even in a burst.
      const before = plisAtPublisher;
      const mediaSsrc = received[0]?.header.ssrc as number;
      for (let i = 0; i < 5; i++) void subscriber.transceiver.receiver.sendRtcpPLI(mediaSsrc);
      await eventually(() => plisAtPublisher, (n) => n > before, 20_000);
    } finally {
      clearInterval(pump);
    }

    // reconnectStream from the publisher: a new leg for the same stream; the viewer keeps its leg
    // and gets the new packets, numbered on from where the old ones stopped.
    const lastBefore = received.at(-1)?.header.sequenceNumber as number;
    const republisher = await connectLeg('sendonly', () => `${publisherId}|${publisherId}`, async (sdp) => {
      const reply = await a.call('reconnectStream', { stream: streamId, sdpString: sdp });
      expect(reply.result?.id).toBe(streamId);
      return reply;
    });
    sequenceNumber = 50_000;
    const pump2 = setInterval(() => sendFrom(republisher.transceiver, 'again'), 20);
    try {
      const afterSwitch = await eventually(
        () => received.filter((p) => p.payload.toString().startsWith('again-')),
        (list) => list.length >= 5,
        20_000,
      );
      const gap = ((afterSwitch[0]?.header.sequenceNumber as number) - lastBefore + 65536) % 65536;
      expect(gap).toBeLessThan(100);
    } finally {
      clearInterval(pump2);
    }

    const live = await testState(server!);
    expect(live.counts).toMatchObject({ publishers: 1, subscribers: 1, openPeerConnections: 2 });
    await a.call('leaveRoom', {});
    await b.call('leaveRoom', {});
    const after = await eventually(() => testState(server!), (s) => s.counts.openPeerConnections === 0);
    expect(after.counts).toMatchObject({ sessions: 0, participants: 0, publishers: 0, subscribers: 0 });
  }, 180_000);
  it('sends a subscriber, as it connects, the video since the latest keyframe, then the live packets', async () => {
    const { a, b, publisherId, subscriberId } = await publisherAndSubscriberIn('Replay');
    let streamId = '';
    const publisher = await connectLeg('sendonly', () => `${publisherId}|${publisherId}`, async (sdp, attempt) => {
      const reply = attempt === 0
        ? await a.call('publishVideo', { sdpOffer: sdp, hasAudio: false, hasVideo: true, videoActive: true, typeOfVideo: 'CAMERA', frameRate: 30, videoDimensions: '{"width":640,"height":480}' })
        : await a.call('reconnectStream', { stream: streamId, sdpString: sdp });
      streamId = reply.result?.id as string;
      return reply;
    });

    // VP8 payloads numbered in their last bytes: a key frame (first byte of the VP8 header has
    // P=0) every 40 packets, delta frames between.
    let index = 0;
    let latestKey = -1;
    const payloadType = publisher.transceiver.codecs[0]?.payloadType ?? 96;
    const pump = setInterval(() => {
      const key = index % 40 === 0;
      if (key) latestKey = index;
      const payload = Buffer.from([0x90, 0x80, 0x81, 0x23, key ? 0x10 : 0x11, 0, 0]);
      payload.writeUInt16BE(index, 5);
      const header = new RtpHeader({ payloadType, sequenceNumber: 7000 + index, timestamp: 90 * 33 * index, marker: true });
      index++;
      void publisher.transceiver.sender.sendRtp(new RtpPacket(header, payload));
    }, 10);
    try {
      await eventually(() => index, (n) => n >= 55, 20_000); // a keyframe at 40, and some deltas after it
      const received: RtpPacket[] = [];
      // The keyframe that was latest when the subscriber connected lies between the one latest when
      // it asked and the one latest once both ends report connected.
      let keyWhenAsked = -1;
      await connectLeg('recvonly', () => `${subscriberId}|${publisherId}`, (sdp) => {
        keyWhenAsked = latestKey;
        return b.call('receiveVideoFrom', { sender: streamId, sdpOffer: sdp });
      }, (pc) => {
        received.length = 0;
        pc.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((rtp) => received.push(rtp)));
      });
      const keyWhenConnected = latestKey;
      const sentWhenConnected = index;
      // Then the live packets: wait for 20 sent after the connection.
      const lastNumber = () => received.at(-1)?.payload.readUInt16BE(5) ?? -1;
      await eventually(lastNumber, (n) => n >= sentWhenConnected + 20, 20_000);
      const numbers = received.map((p) => p.payload.readUInt16BE(5));
      // It starts on that key frame, sent before the subscriber connected, and nothing is skipped or
      // repeated after it, from the replay into the live packets.
      expect((numbers[0] as number) % 40).toBe(0);
      expect(numbers[0]).toBeGreaterThanOrEqual(keyWhenAsked);
      expect(numbers[0]).toBeLessThanOrEqual(keyWhenConnected);
      expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => (numbers[0] as number) + i));
      const sequence = received.map((p) => p.header.sequenceNumber);
      expect(sequence).toEqual(Array.from({ length: sequence.length }, (_, i) => ((sequence[0] as number) + i) % 65536));
    } finally {
      clearInterval(pump);
    }
  }, 120_000);

  it('forwards audio RTP from a publisher with a microphone to a subscriber, unchanged and in order', async () => {
    const { a, b, publisherId, subscriberId } = await publisherAndSubscriberIn('Voice');
    let streamId = '';
    const publisher = await connectLeg('sendonly', () => `${publisherId}|${publisherId}`, async (sdp, attempt) => {
      const reply = attempt === 0 ? await a.call('publishVideo', { sdpOffer: sdp, hasAudio: true, audioActive: true, hasVideo: true, videoActive: true, typeOfVideo: 'CAMERA', frameRate: 30, videoDimensions: '{"width":640,"height":480}' })
        : await a.call('reconnectStream', { stream: streamId, sdpString: sdp });
      streamId = reply.result?.id as string;
      return reply;
    }, undefined, ['audio', 'video']);
    const voice = publisher.transceivers.get('audio') as RTCRtpTransceiver;
    const heard: RtpPacket[] = [];
    const subscriber = await connectLeg('recvonly', () => `${subscriberId}|${publisherId}`, (sdp) => {
      heard.length = 0;
      return b.call('receiveVideoFrom', { sender: streamId, sdpOffer: sdp });
    }, undefined, ['audio', 'video']);
    (subscriber.transceivers.get('audio') as RTCRtpTransceiver).receiver.track.onReceiveRtp.subscribe((rtp) => heard.push(rtp));

    let n = 0;
    const payloadType = voice.codecs[0]?.payloadType ?? 111;
    const pump = setInterval(() => {
      const header = new RtpHeader({ payloadType, sequenceNumber: 3000 + n, timestamp: 960 * n, marker: n === 0 });
      void voice.sender.sendRtp(new RtpPacket(header, Buffer.from(`voice-${n}`)));
      n++;
    }, 20);
    try {
      await eventually(() => heard.length, (count) => count >= 25, 20_000);
    } finally {
      clearInterval(pump);
    }
    const payloads = heard.map((p) => p.payload.toString());
    expect(payloads.every((p) => p.startsWith('voice-'))).toBe(true);
    const numbers = payloads.map((p) => Number(p.slice(6)));
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => (numbers[0] as number) + i));
    expect(heard.every((p) => p.header.payloadType === heard[0]?.header.payloadType)).toBe(true);
  }, 120_000);
});
