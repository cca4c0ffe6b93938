const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/g;

/**
 * Customer text as text: React escapes every character, so `<script>` stays visible as typed. Only http(s)
 * links become anchors, opened without handing the new tab a reference to this one.
 */
export function MessageText({ text }: { text: string }) {
  const parts: Array<string | { url: string }> = [];
  let at = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    if (match.index > at) parts.push(text.slice(at, match.index));
    parts.push({ url: match[0] });
    at = match.index + match[0].length;
  }
  if (at < text.length) parts.push(text.slice(at));
  return (
    <div className="msg-text">
      {parts.map((p, i) =>
        typeof p === 'string' ? (
          p
        ) : (
          <a key={i} href={p.url} target="_blank" rel="noopener noreferrer">
            {p.url}
          </a>
        ),
      )}
    </div>
  );
}
