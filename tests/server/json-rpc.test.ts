// @vitest-environment node
// The JSON-RPC protocol as openvidu-browser depends on it: the joinRoom result shape, the order
// and content of notifications, the string encodings of streamPropertyChanged, signals,
// reconnection within the window, eviction past it, and the ping watchdog.
import { afterEach, describe, expect, it } from 'vitest';
import { controlsOf, createToken, makeOffer, publish, RpcClient, sessionWithTokens, startTestServer, testState, eventually, type TestServer } from './helpers.ts';

let server: TestServer | undefined;
const clients: RpcClient[] = [];

async function open(url: string): Promise<RpcClient> {
  const client = await RpcClient.open(url);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate();
  await server?.close();
  server = undefined;
});

describe('joinRoom and the notifications that follow', () => {
  it('returns the exact result shape, lists publishers with one stream, and notifies in order', async () => {
    server = await startTestServer();
    const [ta, tb, tc] = await sessionWithTokens(server, 'Shape', 3);
    const a = await open(server.wsUrl);
    const joinA = await a.join(ta as string, 'Alice');
    expect(joinA).toMatchObject({
      session: 'Shape',
      version: '2.32.2',
      mediaServer: 'kurento',
      videoSimulcast: false,
      role: 'PUBLISHER',
      value: [],
      metadata: JSON.stringify({ clientData: 'Alice' }),
      customIceServers: [],
    });
    expect(joinA.id).toMatch(/^con_/);
    expect(typeof joinA.sessionId).toBe('string');
    expect(typeof joinA.createdAt).toBe('number');
    const { streamId } = await publish(a);
    expect(streamId).toMatch(new RegExp(`^str_CAM_\\w{4}_${joinA.id as string}$`));

    const b = await open(server.wsUrl);
    const joinB = await b.join(tb as string, 'Bob');
    const value = joinB.value as Record<string, unknown>[];
    expect(value).toHaveLength(1);
    expect(value[0]).not.toHaveProperty('role');
    expect(value[0]).toMatchObject({ id: joinA.id, metadata: JSON.stringify({ clientData: 'Alice' }) });
    const streams = value[0]?.streams as Record<string, unknown>[];
    expect(streams).toHaveLength(1);
    expect(streams[0]).toMatchObject({ id: streamId, hasAudio: true, hasVideo: true, typeOfVideo: 'CAMERA', frameRate: 30 });
    expect(streams[0]?.videoDimensions).toBe(JSON.stringify({ width: 640, height: 480 }));
    const joined = await a.notification('participantJoined', (p) => p.id === joinB.id);
    expect(joined.params).not.toHaveProperty('role');
    expect(joined.params).not.toHaveProperty('streams');

    // C joins, then B publishes: A and C hear participantPublished, B does not hear its own.
    const c = await open(server.wsUrl);
    const joinC = await c.join(tc as string, 'Carol');
    expect((joinC.value as { id: string; streams?: unknown }[]).find((p) => p.id === joinB.id)).not.toHaveProperty('streams');
    await publish(b);
    await a.notification('participantPublished', (p) => p.id === joinB.id);
    await c.notification('participantPublished', (p) => p.id === joinB.id);
    const methodsForA = a.notifications().map((m) => `${m.method}:${(m.params?.id as string) ?? ''}`);
    expect(methodsForA.indexOf(`participantJoined:${joinB.id as string}`)).toBeLessThan(methodsForA.indexOf(`participantPublished:${joinB.id as string}`));
    expect(b.notifications('participantPublished').filter((m) => m.params?.id === joinB.id)).toEqual([]);

    // A leaves: the others get participantLeft (reason disconnect) and no separate unpublish.
    await a.call('leaveRoom', {});
    for (const other of [b, c]) {
      const left = await other.notification('participantLeft', (p) => p.connectionId === joinA.id);
      expect(left.params?.reason).toBe('disconnect');
    }
    expect(b.notifications('participantUnpublished')).toEqual([]);

    // B unpublishes: C hears reason unpublish; B itself is not told.
    expect((await b.call('unpublishVideo', {})).result).toBeDefined();
    const unpublished = await c.notification('participantUnpublished', (p) => p.connectionId === joinB.id);
    expect(unpublished.params?.reason).toBe('unpublish');
    expect(b.notifications('participantUnpublished')).toEqual([]);
  });

  it('streamPropertyChanged sends the JSON text of the value: "false", and double-encoded dimensions', async () => {
    server = await startTestServer();
    const [ta, tb] = await sessionWithTokens(server, 'Props', 2);
    const a = await open(server.wsUrl);
    const joinA = await a.join(ta as string);
    const { streamId } = await publish(a);
    const b = await open(server.wsUrl);
    await b.join(tb as string);
    const reply = await a.call('streamPropertyChanged', { streamId, property: 'audioActive', newValue: false, reason: 'publishAudio' });
    expect(reply.result).toBeDefined();
    const muted = await b.notification('streamPropertyChanged', (p) => p.property === 'audioActive');
    expect(muted.params).toEqual({ connectionId: joinA.id, streamId, property: 'audioActive', newValue: 'false', reason: 'publishAudio' });
    const dims = JSON.stringify({ width: 320, height: 240 });
    await a.call('streamPropertyChanged', { streamId, property: 'videoDimensions', newValue: dims, reason: 'screenResized' });
    const resized = await b.notification('streamPropertyChanged', (p) => p.property === 'videoDimensions');
    expect(JSON.parse(JSON.parse(resized.params?.newValue as string) as string)).toEqual({ width: 320, height: 240 });
    expect(a.notifications('streamPropertyChanged')).toEqual([]);
    // The stored state follows: a late joiner sees audio off and the new size.
    const tc = await createToken(server, 'Props');
    const c = await open(server.wsUrl);
    const joinC = await c.join(tc as string);
    const stream = ((joinC.value as { id: string; streams?: Record<string, unknown>[] }[]).find((p) => p.id === joinA.id)?.streams ?? [])[0];
    expect(stream).toMatchObject({ audioActive: false, videoDimensions: dims });
  });

  it('a MODERATOR may forceUnpublish and forceDisconnect others over JSON-RPC (…ByUser reasons)', async () => {
    server = await startTestServer();
    const [moderatorToken] = await sessionWithTokens(server, 'Moderated', 1, 'MODERATOR');
    const [ta, tb] = [await createToken(server, 'Moderated'), await createToken(server, 'Moderated')];
    const m = await open(server.wsUrl);
    const joinM = await m.join(moderatorToken as string, 'Mod');
    expect(joinM.role).toBe('MODERATOR');
    const a = await open(server.wsUrl);
    const joinA = await a.join(ta, 'A');
    const b = await open(server.wsUrl);
    const joinB = await b.join(tb, 'B');
    const { streamId, pc } = await publish(a);
    expect((await m.call('forceUnpublish', { streamId })).result).toBeDefined();
    for (const client of [m, a, b]) {
      const unpublished = await client.notification('participantUnpublished', (p) => p.connectionId === joinA.id);
      expect(unpublished.params?.reason).toBe('forceUnpublishByUser');
    }
    expect((await m.call('forceDisconnect', { connectionId: joinB.id })).result).toBeDefined();
    for (const client of [m, a]) {
      const left = await client.notification('participantLeft', (p) => p.connectionId === joinB.id);
      expect(left.params?.reason).toBe('forceDisconnectByUser');
    }
    const evicted = await b.notification('participantEvicted', (p) => p.connectionId === joinB.id);
    expect(evicted.params?.reason).toBe('forceDisconnectByUser');
    expect(b.notifications('participantLeft')).toEqual([]);
    // A PUBLISHER may not do the same: 401.
    expect((await a.call('forceDisconnect', { connectionId: joinM.id })).error?.code).toBe(401);
    await pc.close();
  });

  it('sendMessage with no recipients reaches everyone, the sender included, with `from`', async () => {
    server = await startTestServer();
    const [ta, tb] = await sessionWithTokens(server, 'Signals', 2);
    const a = await open(server.wsUrl);
    const joinA = await a.join(ta as string);
    const b = await open(server.wsUrl);
    const joinB = await b.join(tb as string);
    await a.call('sendMessage', { message: JSON.stringify({ to: [], data: 'hi all', type: 'signal:chat' }) });
    for (const client of [a, b]) {
      const got = await client.notification('sendMessage');
      expect(got.params).toEqual({ data: 'hi all', type: 'signal:chat', from: joinA.id });
    }
    await b.call('sendMessage', { message: JSON.stringify({ to: [joinA.id], data: 'just you', type: 'signal' }) });
    await a.notification('sendMessage', (p) => p.data === 'just you' && p.from === joinB.id);
    expect(b.notifications('sendMessage')).toHaveLength(1);
  });

  it('buffers ICE candidates that arrive before the endpoint exists and answers each with {}', async () => {
    server = await startTestServer();
    const [ta] = await sessionWithTokens(server, 'EarlyIce', 1);
    const a = await open(server.wsUrl);
    const joinA = await a.join(ta as string);
    const early = await a.call('onIceCandidate', {
      endpointName: joinA.id,
      candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0',
      sdpMid: '0',
      sdpMLineIndex: 0,
    });
    expect(early.result).toBeDefined();
    const endMarker = await a.call('onIceCandidate', { endpointName: joinA.id, candidate: '', sdpMid: null, sdpMLineIndex: null });
    expect(endMarker.result).toBeDefined();
    await publish(a);
  });
});

describe('SDP the SFU answers with', () => {
  it('publisher answer: recvonly, VP8 with start bitrate, no transport-cc, only 127.0.0.1 candidates', async () => {
    server = await startTestServer();
    const [ta, tb] = await sessionWithTokens(server, 'Sdp', 2);
    const a = await open(server.wsUrl);
    const joinA = await a.join(ta as string);
    const { answer, streamId, pc } = await publish(a);
    expect(answer).toMatch(/a=recvonly/);
    expect(answer).not.toMatch(/a=sendrecv/);
    expect(answer).toMatch(/a=fmtp:\d+ .*x-google-start-bitrate=\d+/);
    expect(answer).not.toMatch(/transport-cc|transport-wide-cc/);
    const candidates = answer.split('\r\n').filter((l) => l.startsWith('a=candidate:'));
    expect(candidates.length).toBeGreaterThan(0);
    for (const line of candidates) expect(line.split(' ')[4]).toBe('127.0.0.1');

    const b = await open(server.wsUrl);
    await b.join(tb as string);
    const offer = await makeOffer('recvonly');
    const reply = await b.call('receiveVideoFrom', { sender: streamId, sdpOffer: offer.sdp });
    const subscriberAnswer = reply.result?.sdpAnswer as string;
    expect(subscriberAnswer.match(/^m=/gm)).toHaveLength(2);
    expect(subscriberAnswer.match(/a=sendonly/g)).toHaveLength(2);
    expect(subscriberAnswer).toMatch(/a=rtpmap:\d+ VP8\/90000/);
    expect((await testState(server)).counts).toMatchObject({ publishers: 1, subscribers: 1, openPeerConnections: 2 });
    // Subscriber reconnection in the client-offer flow: a new offer in reconnectStream's sdpOffer.
    const offer2 = await makeOffer('recvonly');
    const reconnected = await b.call('reconnectStream', { stream: streamId, sdpOffer: offer2.sdp, forciblyReconnect: false });
    expect(reconnected.result?.sdpAnswer).toMatch(/a=sendonly/);
    expect((await testState(server)).counts).toMatchObject({ subscribers: 1, openPeerConnections: 2 });
    await offer2.pc.close();
    // unsubscribeFromVideo names the publisher's connectionId, not the stream.
    expect((await b.call('unsubscribeFromVideo', { sender: joinA.id })).result).toBeDefined();
    expect((await testState(server)).counts).toMatchObject({ subscribers: 0, openPeerConnections: 1 });
    await Promise.all([pc.close(), offer.pc.close()]);
  });

  it('takes H.264 from a publisher that offers only H.264, and subscribers get H.264', async () => {
    server = await startTestServer();
    const [ta, tb] = await sessionWithTokens(server, 'H264Only', 2);
    const a = await open(server.wsUrl);
    await a.join(ta as string);
    const { RTCPeerConnection, RTCRtpCodecParameters } = await import('werift');
    const h264 = (): InstanceType<typeof RTCRtpCodecParameters> =>
      new RTCRtpCodecParameters({ mimeType: 'video/H264', clockRate: 90000, parameters: 'profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1' });
    const pc = new RTCPeerConnection({ codecs: { video: [h264()] }, iceUseIpv4: false, iceUseIpv6: false, iceAdditionalHostAddresses: ['127.0.0.1'] });
    pc.addTransceiver('video', { direction: 'sendonly' });
    await pc.setLocalDescription(await pc.createOffer());
    const published = await a.call('publishVideo', { sdpOffer: pc.localDescription?.sdp, hasAudio: false, hasVideo: true, typeOfVideo: 'CAMERA' });
    expect(published.result?.sdpAnswer).toMatch(/a=rtpmap:\d+ H264\/90000/i);
    expect(published.result?.sdpAnswer).not.toMatch(/VP8/);
    const b = await open(server.wsUrl);
    await b.join(tb as string);
    const viewer = new RTCPeerConnection({ codecs: { video: [h264()] }, iceUseIpv4: false, iceUseIpv6: false, iceAdditionalHostAddresses: ['127.0.0.1'] });
    viewer.addTransceiver('video', { direction: 'recvonly' });
    await viewer.setLocalDescription(await viewer.createOffer());
    const subscribed = await b.call('receiveVideoFrom', { sender: published.result?.id, sdpOffer: viewer.localDescription?.sdp });
    expect(subscribed.result?.sdpAnswer).toMatch(/a=rtpmap:\d+ H264\/90000/i);
    await Promise.all([pc.close(), viewer.close()]);
  });

  it('server-offer flow (mediasoup): prepareReceiveVideoFrom offers, receiveVideoFrom takes the answer', async () => {
    server = await startTestServer({ subscribeFlow: 'server-offer' });
    const [ta, tb] = await sessionWithTokens(server, 'ServerOffer', 2);
    const a = await open(server.wsUrl);
    await a.join(ta as string);
    const { streamId, pc } = await publish(a);
    const b = await open(server.wsUrl);
    const joinB = await b.join(tb as string);
    expect(joinB.mediaServer).toBe('mediasoup');
    const prepared = await b.call('prepareReceiveVideoFrom', { sender: streamId, reconnect: false });
    const sdpOffer = prepared.result?.sdpOffer as string;
    expect(sdpOffer).toMatch(/^m=audio/m);
    expect(sdpOffer).toMatch(/^m=video/m);
    expect(sdpOffer.match(/a=sendonly/g)).toHaveLength(2);
    const { RTCPeerConnection } = await import('werift');
    const viewer = new RTCPeerConnection({ iceUseIpv4: false, iceUseIpv6: false, iceAdditionalHostAddresses: ['127.0.0.1'] });
    await viewer.setRemoteDescription({ type: 'offer', sdp: sdpOffer });
    await viewer.setLocalDescription(await viewer.createAnswer());
    const done = await b.call('receiveVideoFrom', { sender: streamId, sdpAnswer: viewer.localDescription?.sdp });
    expect(done.result).toBeDefined();
    expect((await testState(server)).counts).toMatchObject({ subscribers: 1, openPeerConnections: 2 });

    // Subscriber reconnection in this flow: a new server offer, answered through reconnectStream's sdpString.
    const again = await b.call('prepareReceiveVideoFrom', { sender: streamId, reconnect: true });
    const viewer2 = new RTCPeerConnection({ iceUseIpv4: false, iceUseIpv6: false, iceAdditionalHostAddresses: ['127.0.0.1'] });
    await viewer2.setRemoteDescription({ type: 'offer', sdp: again.result?.sdpOffer as string });
    await viewer2.setLocalDescription(await viewer2.createAnswer());
    const reconnected = await b.call('reconnectStream', { stream: streamId, sdpString: viewer2.localDescription?.sdp, forciblyReconnect: false });
    expect(reconnected.result).toBeDefined();
    expect((await testState(server)).counts).toMatchObject({ subscribers: 1, openPeerConnections: 2 });
    await Promise.all([pc.close(), viewer.close(), viewer2.close()]);
  });
});

describe('dropped sockets, reconnection and the ping watchdog', () => {
  it('connect within the window keeps the participant; the others notice nothing', async () => {
    server = await startTestServer({ reconnectionWindowMs: 5000 });
    const [ta, tb] = await sessionWithTokens(server, 'Reconnect', 2);
    const a = await open(server.wsUrl);
    const joinA = await a.join(ta as string);
    const b = await open(server.wsUrl);
    const joinB = await b.join(tb as string);
    await controlsOf(server).dropSocket(joinB.id as string);
    await eventually(() => b.closeCode, (code) => code !== undefined);
    const again = await open(`${server.wsUrl}?sessionId=Reconnect&reconnect=true`);
    const reply = await again.call('connect', { sessionId: joinB.sessionId, reconnect: true });
    expect(reply.result?.value).toBe('reconnection successful');
    // The rebound socket speaks for B again: a signal from A reaches it.
    await a.call('sendMessage', { message: JSON.stringify({ to: [joinB.id], data: 'still there?' }) });
    await again.notification('sendMessage', (p) => p.data === 'still there?' && p.from === joinA.id);
    expect(a.notifications('participantLeft')).toEqual([]);
  });

  it('past the window the participant is evicted (networkDisconnect) and connect is refused', async () => {
    server = await startTestServer({ reconnectionWindowMs: 300 });
    const [ta, tb] = await sessionWithTokens(server, 'TooLate', 2);
    const a = await open(server.wsUrl);
    await a.join(ta as string);
    const b = await open(server.wsUrl);
    const joinB = await b.join(tb as string);
    b.ws.terminate();
    const left = await a.notification('participantLeft', (p) => p.connectionId === joinB.id);
    expect(left.params?.reason).toBe('networkDisconnect');
    const late = await open(server.wsUrl);
    const refused = await late.call('connect', { sessionId: joinB.sessionId, reconnect: true });
    expect(refused.error?.code).toBe(40007);
  });

  it('the notify test control sends one notification to one participant', async () => {
    server = await startTestServer();
    const [ta, tb] = await sessionWithTokens(server, 'Notify', 2);
    const a = await open(server.wsUrl);
    const joinA = await a.join(ta as string);
    const b = await open(server.wsUrl);
    await b.join(tb as string);
    const post = (id: string, body: unknown): Promise<Response> =>
      controlsOf(server!).call('POST', `/test/connections/${id}/notify`, body);
    expect((await post(joinA.id as string, { method: 'recordingStarted', params: { id: 'r1', name: 'rec' } })).status).toBe(204);
    const got = await a.notification('recordingStarted');
    expect(got.params).toEqual({ id: 'r1', name: 'rec' });
    expect((await post(joinA.id as string, { method: 42, params: {} })).status).toBe(400);
    expect((await post('con_Nobody1234', { method: 'x', params: {} })).status).toBe(404);
    expect(b.notifications('recordingStarted')).toEqual([]);
  });

  it('refuse-websockets keeps new sockets out for a while', async () => {
    server = await startTestServer();
    await controlsOf(server).refuseWebSockets(60_000);
    await expect(RpcClient.open(server.wsUrl)).rejects.toThrow('503');
    await controlsOf(server).refuseWebSockets(0);
    const client = await open(server.wsUrl);
    expect((await client.call('ping')).result?.value).toBe('pong');
  });

  it('delay-answers handles a request at once but holds its answer until released', async () => {
    server = await startTestServer();
    const [ta, tb] = await sessionWithTokens(server, 'SlowAnswer', 2);
    const a = await open(server.wsUrl);
    const joinA = await a.join(ta as string);
    const control = (body: unknown) => controlsOf(server!).call('POST', '/test/delay-answers', body);
    expect((await control({ method: 'joinRoom', ms: 600_001 })).status).toBe(400);
    expect((await control({ method: 'joinRoom', ms: 60_000 })).status).toBe(204);
    const b = await open(server.wsUrl);
    let answered = false;
    const joining = b.join(tb as string).then((reply) => ((answered = true), reply));
    // The server already holds B (A is told), while B still waits for its answer.
    const joined = await a.notification('participantJoined');
    expect(answered).toBe(false);
    expect(joined.params?.id).not.toBe(joinA.id);
    // Other methods are answered as usual meanwhile.
    expect((await b.call('ping')).result?.value).toBe('pong');
    expect((await control({ method: 'joinRoom', ms: 0 })).status).toBe(204);
    expect((await joining).id).toBe(joined.params?.id);
  });

  it('a client that stops pinging is evicted with networkDisconnect and its socket closed', async () => {
    server = await startTestServer({ pingTimeoutMs: 1500 });
    const [ta, tb] = await sessionWithTokens(server, 'Silent', 2);
    const a = await open(server.wsUrl);
    const joinA = await a.join(ta as string);
    const b = await open(server.wsUrl);
    const joinB = await b.join(tb as string);
    // A keeps pinging; B went quiet after its first ping.
    const keepAlive = setInterval(() => void a.call('ping').catch(() => undefined), 300);
    try {
      const left = await a.notification('participantLeft', (p) => p.connectionId === joinB.id, 8000);
      expect(left.params?.reason).toBe('networkDisconnect');
      await eventually(() => b.closeCode, (code) => code !== undefined, 5000);
      const state = await testState(server);
      expect(state.counts.participants).toBe(1);
      // The one left is A, the client that kept pinging, and it is still served.
      expect(state.sessions.find((s) => s.id === 'Silent')?.participants.map((p) => p.id)).toEqual([joinA.id]);
      expect(a.closeCode).toBeUndefined();
      expect((await a.call('ping')).result?.value).toBe('pong');
    } finally {
      clearInterval(keepAlive);
    }
  });
});

describe('unused sessions', () => {
  it('are collected after their time to live, with their pending tokens; joined ones stay', async () => {
    const { OpenViduCore } = await import('../../server/core/openvidu.ts');
    const { Sfu } = await import('../../server/sfu/sfu.ts');
    const { silentLogger } = await import('../../server/log.ts');
    const core = new OpenViduCore({
      sfu: new Sfu({ loopbackOnly: true, extraAddresses: [] }),
      logger: silentLogger,
      tokenBaseUrl: () => 'ws://localhost:1',
      reconnectionWindowMs: 1000,
      subscribeFlow: 'client-offer',
    });
    const props = { mediaMode: 'ROUTED', recordingMode: 'MANUAL', forcedVideoCodec: 'VP8', allowTranscoding: false, defaultRecordingProperties: {} };
    const unused = core.createSession({ ...props, customSessionId: 'Unused' });
    const used = core.createSession({ ...props, customSessionId: 'Used' });
    const token = core.createConnection(unused!, { type: 'WEBRTC', data: '', record: true, role: 'PUBLISHER', kurentoOptions: null, customIceServers: [], rtspUri: null, adaptativeBitrate: null, onlyPlayWithSubscribers: null, networkCache: null }).token;
    const joiner = core.createConnection(used!, { type: 'WEBRTC', data: '', record: true, role: 'PUBLISHER', kurentoOptions: null, customIceServers: [], rtspUri: null, adaptativeBitrate: null, onlyPlayWithSubscribers: null, networkCache: null });
    core.join({ token: joiner.token, sessionId: 'Used', platform: 'test', metadata: '' }, { notify: () => {}, close: () => {} }, '127.0.0.1');
    core.collectUnusedSessions(0);
    expect([...core.sessions.keys()]).toEqual(['Used']);
    expect(() => core.join({ token, sessionId: 'Unused', platform: 'test', metadata: '' }, { notify: () => {}, close: () => {} }, '127.0.0.1')).toThrow(/cannot be found/);
    await core.close();
  });
});
