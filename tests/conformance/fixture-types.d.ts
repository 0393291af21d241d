// The driver the fixture page puts on window (see fixtures/openvidu-page.html).
export {};

declare global {
  interface Window {
    fixture: {
      state: { playingAfterMs: number[]; signals: { type: string; data: string; from: string | null }[]; events: { name: string; reason: string | null }[] };
      connect(token: string, nickname: string): Promise<string>;
      publish(): Promise<string>;
      remoteVideo(index?: number): { width: number; height: number; frames: number } | null;
      signal(data: string, type: string, to?: string[]): Promise<void>;
      disconnect(): void;
    };
  }
}
