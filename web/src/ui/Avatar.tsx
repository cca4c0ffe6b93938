/** Initials on a colour derived from the name: platform avatar URLs are other sites (the CSP allows 'self' images only). */
export function Avatar({ name, url }: { name: string | null | undefined; url?: string | null }) {
  const label = (name ?? '').trim() || '?';
  if (url && url.startsWith('/')) return <img className="avatar" src={url} alt="" />;
  const initials = label
    .split(/\s+/)
    .slice(0, 2)
    .map((w) => [...w][0] ?? '')
    .join('')
    .toUpperCase();
  let hash = 0;
  for (const ch of label) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  return (
    <span className={`avatar hue-${hash % 8}`} aria-hidden="true">
      {initials}
    </span>
  );
}
