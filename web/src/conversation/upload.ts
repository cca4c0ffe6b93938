import type { paths } from '../api/schema';
import type { Upload } from '../api/client';
import { clearSession, currentToken } from '../auth/session';
import { errorText } from '../api/client';
import { ApiError } from './useConversation';

type UploadQuery = paths['/uploads']['post']['parameters']['query'];

export interface UploadHandle {
  promise: Promise<Upload>;
  abort(): void;
}

/**
 * POST /uploads with the file as the raw body. XMLHttpRequest rather than the typed client: fetch reports no
 * upload progress, and a large file on a slow line needs it. The route, query and answer are the schema's.
 */
export function uploadFile(file: File, onProgress: (fraction: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const query: UploadQuery = { filename: file.name };
  const promise = new Promise<Upload>((resolve, reject) => {
    xhr.open('POST', `/api/v1/uploads?${new URLSearchParams(query)}`);
    xhr.setRequestHeader('authorization', `Bearer ${currentToken() ?? ''}`);
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON: a proxy's page */
      }
      if (xhr.status === 201 && body && typeof body === 'object' && 'upload' in body) resolve((body as { upload: Upload }).upload);
      else {
        if (xhr.status === 401) clearSession('expired');
        reject(new ApiError(xhr.status, errorText(body)));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, 'the server could not be reached'));
    xhr.onabort = () => reject(new ApiError(0, 'cancelled'));
    xhr.send(file);
  });
  return { promise, abort: () => xhr.abort() };
}

/** "16 MB", "820 kB": file sizes in the agent's language. */
export function formatBytes(bytes: number, language: string): string {
  const mb = bytes / (1024 * 1024);
  const [value, unit] = mb >= 1 ? [mb, 'megabyte'] : [Math.max(bytes / 1024, 0.1), 'kilobyte'];
  return new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
}
