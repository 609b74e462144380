import { hasMessage, registerMessages } from '../i18n';

/** The wording of every refusal an upload or download can meet. */
export const fileMessages = {
  'entity.attachment': { 'zh-CN': '附件', 'en-US': 'Attachment' },
  'file.type_not_allowed': {
    'zh-CN': '不支持的文件类型（{type}）：仅限图片（JPEG、PNG、WebP、GIF）、视频（MP4、MOV、WebM）和 PDF',
    'en-US': 'File type not allowed ({type}): images (JPEG, PNG, WebP, GIF), videos (MP4, MOV, WebM) and PDF only',
  },
  'file.type_mismatch': {
    'zh-CN': '文件内容（{detected}）与扩展名不符：{name}',
    'en-US': 'The file’s content ({detected}) does not match its name: {name}',
  },
  'file.too_large': { 'zh-CN': '文件过大（上限 {limit} MB）', 'en-US': 'File too large (limit {limit} MB)' },
  'file.empty': { 'zh-CN': '文件为空', 'en-US': 'The file is empty' },
  'file.image_too_large': {
    'zh-CN': '图片像素过多（上限 {pixels} 像素）',
    'en-US': 'The image has too many pixels (limit {pixels})',
  },
  'file.image_unreadable': { 'zh-CN': '无法读取该图片', 'en-US': 'The image cannot be read' },
  'file.upload_malformed': {
    'zh-CN': '上传数据不完整或格式有误，请重新上传',
    'en-US': 'The upload is incomplete or malformed; try again',
  },
};

/**
 * Registers the messages no one has registered yet. Called when the multipart plugin is
 * registered (after every module has loaded), so a module that still defines some of these
 * keys itself keeps working instead of failing with "defined twice".
 */
export function ensureFileMessages(): void {
  registerMessages(Object.fromEntries(Object.entries(fileMessages).filter(([key]) => !hasMessage(key))));
}
