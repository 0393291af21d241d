// The chat and who is speaking, as pure updates of the call's context: the call machine names
// the transitions, these say what each does to the data. Both are bounded: a chat keeps its
// latest messages, and the speaking list holds each connection at most once.
import type { ChatMessage, ChatState } from './call.types.ts';

/** How many messages a call keeps (the oldest go first); nobody scrolls back further in a call. */
export const CHAT_HISTORY_LIMIT = 200;
/** How many speakers are tracked at once; more than this is noise, not a conversation. */
const SPEAKERS_LIMIT = 50;

export const emptyChat = (): ChatState => ({ messages: [], unread: 0, open: false });

/** A message arrived (ours come back from the server too: that echo is how ours are shown, once). */
export function receiveChat(chat: ChatState, message: Omit<ChatMessage, 'id' | 'mine'>, ownConnectionId: string | null): ChatState {
  const mine = message.fromConnectionId === ownConnectionId;
  const id = (chat.messages.at(-1)?.id ?? 0) + 1;
  const messages = [...chat.messages, { ...message, id, mine }].slice(-CHAT_HISTORY_LIMIT);
  return { ...chat, messages, unread: chat.open || mine ? chat.unread : chat.unread + 1 };
}

export const openChat = (chat: ChatState): ChatState => ({ ...chat, open: true, unread: 0 });
export const closeChat = (chat: ChatState): ChatState => ({ ...chat, open: false });

export function setSpeaking(speaking: string[], connectionId: string, isSpeaking: boolean): string[] {
  const others = speaking.filter((id) => id !== connectionId);
  return isSpeaking ? [...others, connectionId].slice(-SPEAKERS_LIMIT) : others;
}
