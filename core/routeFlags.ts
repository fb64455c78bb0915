// Route flags as the kernel writes them in /proc/net/route, from include/uapi/linux/route.h.
export const RTF_UP = 0x0001; // route usable
export const RTF_GATEWAY = 0x0002; // destination is a gateway
export const RTF_HOST = 0x0004; // host entry (net otherwise)
export const RTF_REJECT = 0x0200; // reject route (unreachable, prohibit; the kernel writes Iface "*")
