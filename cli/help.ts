export const HELP = `routedhcp: DHCP servers built from what the hosts already know.

Reads a host's routing table (/proc/net/route, and /proc/net/fib_trie for its own
addresses), works out the subnets it serves, and renders an ISC dhcpd.conf.

Usage:
  routedhcp discover [--proc DIR | --ssh USER@HOST[:PORT] ...] [--json] [options]
  routedhcp render   [--proc DIR | --ssh USER@HOST[:PORT] ...] [--relay] [--check] [options]
  routedhcp --help

Where the table comes from (default: this machine's /proc):
  --proc DIR             read DIR/net/route and, when present, DIR/net/fib_trie
                         (or DIR/route and DIR/fib_trie: copies of the two files)
  --ssh USER@HOST[:PORT] read them from HOST over one SSH connection
  --identity FILE        private key for --ssh (default: the SSH agent in $SSH_AUTH_SOCK)
  --passphrase-env VAR   take the key's passphrase from environment variable VAR
  --known-hosts FILE     verify HOST's key against FILE (default ~/.ssh/known_hosts)
  --host-key "TYPE KEY"  or pin HOST's key ("ssh-ed25519 AAAA...")
  --timeout SECONDS      connect and command timeout for --ssh (default 10)

Planning options:
  --relay                also serve remote networks (gateway routes) through a DHCP relay
  --include PATTERN      serve interfaces matching PATTERN even if they look virtual (repeatable)
  --exclude PATTERN      never serve interfaces matching PATTERN (repeatable)
  --lease-time SECONDS   default-lease-time (default 600)
  --max-lease-time SECONDS
                         max-lease-time (default 7200)
  --dns ADDR[,ADDR...]   option domain-name-servers
  --domain NAME          option domain-name
  --no-ping-check        do not ping an address before offering it
  --options FILE         JSON file with any planning option (pools, reservations,
                         excludeAddresses, routers, ...); flags win over the file

Output:
  --json                 discover: print {"subnets":[...],"addresses":[...]}
  --check                render: validate with this machine's dhcpd -t before printing

Exit status: 0 on success, 1 when the input or the host is unusable (one line on
stderr naming the file and line, or the host), 2 on a bad command line.
`;
