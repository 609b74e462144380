/** The zh-CN/ messages split by face at build time (vite.config.ts, messagesByFace). */
declare module 'virtual:messages/zh-CN/*' {
  const messages: Record<string, unknown>;
  export default messages;
}
