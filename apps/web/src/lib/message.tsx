import { message } from 'antd';
import { createContext, type ReactNode, useContext } from 'react';

type MessageApi = ReturnType<typeof message.useMessage>[0];
const MessageContext = createContext<MessageApi | null>(null);

/**
 * Toasts for a face. antd's App gives the same `message` but brings modal and notification
 * along (~13 KB compressed), which the customer's phone never needs on its first load: the
 * portal has only this; the console and the field app wrap it in antd's App as well.
 */
export function MessageHost({ children }: { children: ReactNode }) {
  const [api, holder] = message.useMessage();
  return (
    <MessageContext.Provider value={api}>
      {holder}
      {children}
    </MessageContext.Provider>
  );
}

export function useMessage(): MessageApi {
  const api = useContext(MessageContext);
  if (!api) throw new Error('useMessage() outside a MessageHost');
  return api;
}
