// WWW-Authenticate parsing (RFC 7235): schemes with auth-params, quoted strings, several challenges in one header.

/** One challenge: the scheme (lowercased) and its parameters (names lowercased). */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/**
 * Parses a WWW-Authenticate header value into challenges. Commas inside quoted strings (as in
 * `scope="repository:a:pull,push"`) stay in the value; a malformed tail is ignored.
 */
export function parseWwwAuthenticate(header: string): Challenge[] {
  const out: Challenge[] = [];
  let i = 0;
  const n = header.length;
  const skipWs = () => {
    while (i < n && (header[i] === " " || header[i] === "\t")) i++;
  };
  const token = () => {
    const start = i;
    while (i < n && TOKEN_CHAR.test(header[i]!)) i++;
    return header.slice(start, i);
  };
  const quoted = () => {
    // header[i] === '"'
    i++;
    let s = "";
    while (i < n && header[i] !== '"') {
      if (header[i] === "\\" && i + 1 < n) i++;
      s += header[i];
      i++;
    }
    i++;
    return s;
  };
  // Unquoted values should be tokens, but registries send bare URLs too: read up to a comma or space.
  const bare = () => {
    const start = i;
    while (i < n && header[i] !== "," && header[i] !== " " && header[i] !== "\t") i++;
    return header.slice(start, i);
  };
  let current: Challenge | undefined;
  while (i < n) {
    skipWs();
    if (header[i] === ",") {
      i++;
      continue;
    }
    const name = token();
    if (!name) {
      i++;
      continue;
    }
    skipWs();
    if (header[i] === "=") {
      i++;
      skipWs();
      const value = header[i] === '"' ? quoted() : bare();
      if (current) current.params[name.toLowerCase()] = value;
      continue;
    }
    current = { scheme: name.toLowerCase(), params: {} };
    out.push(current);
  }
  return out;
}
