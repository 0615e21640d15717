// Hash routes (#/channels?page=2): the admin service serves one index.html at /, so no server-side routing is needed.
import { useEffect, useState } from 'react';

function parse() {
  const hash = window.location.hash.replace(/^#/, '') || '/';
  const [path, q = ''] = hash.split('?');
  return { path, params: Object.fromEntries(new URLSearchParams(q)) };
}

export function useRoute() {
  const [route, setRoute] = useState(parse);
  useEffect(() => {
    const onChange = () => setRoute(parse());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function navigate(path) {
  window.location.hash = path;
}
