package io.netring.internal.linux;

/**
 * Numeric constants of the Linux ABI (x86_64 and aarch64 agree on all of them), grouped by the
 * header they come from. Struct offsets are not here: they are derived from {@link KernelLayouts}.
 */
public final class LinuxConstants {
    private LinuxConstants() {}

    // <sys/socket.h>, <linux/if_ether.h>
    public static final int AF_PACKET = 17;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_ERROR = 4;
    public static final int SO_RCVBUF = 8;
    public static final int SO_ATTACH_FILTER = 26;
    public static final int SO_DETACH_FILTER = 27;
    public static final int SO_LOCK_FILTER = 44;
    public static final int SO_BUSY_POLL = 46;
    public static final int SO_ATTACH_BPF = 50;
    public static final int SO_PREFER_BUSY_POLL = 69;
    public static final int SO_BUSY_POLL_BUDGET = 70;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int ETH_P_ALL = 0x0003;
    public static final int ETH_HLEN = 14;
    public static final int ETH_P_8021Q = 0x8100;
    /** VLAN_HLEN: the kernel lets an 802.1Q-tagged frame exceed MTU + link header by this much. */
    public static final int VLAN_HLEN = 4;

    // <linux/if_packet.h>: SOL_PACKET options
    public static final int SOL_PACKET = 263;
    public static final int PACKET_ADD_MEMBERSHIP = 1;
    public static final int PACKET_DROP_MEMBERSHIP = 2;
    public static final int PACKET_RX_RING = 5;
    public static final int PACKET_STATISTICS = 6;
    public static final int PACKET_VERSION = 10;
    public static final int PACKET_HDRLEN = 11;
    public static final int PACKET_RESERVE = 12;
    public static final int PACKET_TX_RING = 13;
    public static final int PACKET_LOSS = 14;
    public static final int PACKET_TIMESTAMP = 17;
    public static final int PACKET_FANOUT = 18;
    public static final int PACKET_TX_HAS_OFF = 19;
    public static final int PACKET_QDISC_BYPASS = 20;
    public static final int PACKET_FANOUT_DATA = 22;
    public static final int PACKET_IGNORE_OUTGOING = 23;

    public static final int PACKET_MR_PROMISC = 1;

    public static final int TPACKET_V2 = 1;
    public static final int TPACKET_V3 = 2;
    /** TPACKET_ALIGNMENT: headers and frame sizes are multiples of 16. */
    public static final int TPACKET_ALIGNMENT = 16;

    // sll_pkttype values
    public static final int PACKET_HOST = 0;
    public static final int PACKET_BROADCAST = 1;
    public static final int PACKET_MULTICAST = 2;
    public static final int PACKET_OTHERHOST = 3;
    public static final int PACKET_OUTGOING = 4;

    // tp_status bits, RX side
    public static final int TP_STATUS_KERNEL = 0;
    public static final int TP_STATUS_USER = 1;
    public static final int TP_STATUS_COPY = 1 << 1;
    public static final int TP_STATUS_LOSING = 1 << 2;
    public static final int TP_STATUS_CSUMNOTREADY = 1 << 3;
    public static final int TP_STATUS_VLAN_VALID = 1 << 4;
    public static final int TP_STATUS_BLK_TMO = 1 << 5;
    public static final int TP_STATUS_VLAN_TPID_VALID = 1 << 6;
    public static final int TP_STATUS_CSUM_VALID = 1 << 7;
    public static final int TP_STATUS_GSO_TCP = 1 << 8;
    public static final int TP_STATUS_TS_SOFTWARE = 1 << 29;
    public static final int TP_STATUS_TS_SYS_HARDWARE = 1 << 30;
    public static final int TP_STATUS_TS_RAW_HARDWARE = 1 << 31;

    // tp_status values, TX side
    public static final int TP_STATUS_AVAILABLE = 0;
    public static final int TP_STATUS_SEND_REQUEST = 1;
    public static final int TP_STATUS_SENDING = 1 << 1;
    public static final int TP_STATUS_WRONG_FORMAT = 1 << 2;

    /** tp_feature_req_word bit asking the kernel to fill tp_rxhash. */
    public static final int TP_FT_REQ_FILL_RXHASH = 1;

    // SOF_TIMESTAMPING_* bits accepted by PACKET_TIMESTAMP
    public static final int SOF_TIMESTAMPING_SYS_HARDWARE = 1 << 5;
    public static final int SOF_TIMESTAMPING_RAW_HARDWARE = 1 << 6;

    // <sys/mman.h>
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 1;
    public static final int MAP_PRIVATE = 2;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_LOCKED = 0x2000;
    public static final int MAP_POPULATE = 0x8000;

    // <poll.h>
    public static final short POLLIN = 0x001;
    public static final short POLLOUT = 0x004;
    public static final short POLLERR = 0x008;
    public static final short POLLHUP = 0x010;
    public static final short POLLNVAL = 0x020;

    // <sys/eventfd.h>
    public static final int EFD_CLOEXEC = 0x80000;
    public static final int EFD_NONBLOCK = 0x800;

    // <sys/epoll.h>
    public static final int EPOLL_CLOEXEC = 0x80000;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLLONESHOT = 1 << 30;

    // <fcntl.h>
    /** F_DUPFD_CLOEXEC: a duplicate of an fd, closed on exec. */
    public static final int F_DUPFD_CLOEXEC = 1030;

    // <sched.h>
    public static final int CLONE_NEWNET = 0x40000000;

    // <net/if.h>
    public static final int IFNAMSIZ = 16;

    // <linux/if_packet.h>: PACKET_FANOUT types (low byte of the type half) and flags (high byte)
    public static final int PACKET_FANOUT_HASH = 0;
    public static final int PACKET_FANOUT_LB = 1;
    public static final int PACKET_FANOUT_CPU = 2;
    public static final int PACKET_FANOUT_ROLLOVER = 3;
    public static final int PACKET_FANOUT_RND = 4;
    public static final int PACKET_FANOUT_QM = 5;
    public static final int PACKET_FANOUT_CBPF = 6;
    public static final int PACKET_FANOUT_EBPF = 7;
    public static final int PACKET_FANOUT_FLAG_ROLLOVER = 0x1000;
    public static final int PACKET_FANOUT_FLAG_UNIQUEID = 0x2000;
    public static final int PACKET_FANOUT_FLAG_IGNORE_OUTGOING = 0x4000;
    public static final int PACKET_FANOUT_FLAG_DEFRAG = 0x8000;

    // <linux/filter.h>, <linux/bpf.h>
    /** BPF_MAXINSNS: the longest classic program the kernel accepts. */
    public static final int BPF_MAXINSNS = 4096;
    public static final int BPF_PROG_LOAD = 5;
    public static final int BPF_PROG_TYPE_SOCKET_FILTER = 1;
    public static final int BPF_MAP_CREATE = 0;
    public static final int BPF_MAP_UPDATE_ELEM = 2;
    public static final int BPF_MAP_DELETE_ELEM = 3;
    public static final int BPF_PROG_TEST_RUN = 10;
    public static final int BPF_PROG_GET_FD_BY_ID = 13;
    public static final int BPF_OBJ_GET_INFO_BY_FD = 15;
    public static final int BPF_PROG_TYPE_XDP = 6;
    public static final int BPF_MAP_TYPE_XSKMAP = 17;
    // <linux/netlink.h>, <linux/rtnetlink.h>, <linux/if_link.h>: attaching XDP programs
    public static final int AF_NETLINK = 16;
    public static final int NETLINK_ROUTE = 0;
    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_CAP_ACK = 10;
    public static final int NETLINK_EXT_ACK = 11;
    public static final int NLMSG_ERROR = 2;
    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_ACK = 0x4;
    public static final int NLM_F_ACK_TLVS = 0x200;
    public static final int NLMSGERR_ATTR_MSG = 1;
    public static final int RTM_NEWLINK = 16;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_SETLINK = 19;
    public static final int NLA_F_NESTED = 0x8000;
    public static final int IFLA_XDP = 43;
    public static final int IFLA_XDP_FD = 1;
    public static final int IFLA_XDP_ATTACHED = 2;
    public static final int IFLA_XDP_FLAGS = 3;
    public static final int IFLA_XDP_PROG_ID = 4;
    public static final int IFLA_XDP_DRV_PROG_ID = 5;
    public static final int IFLA_XDP_SKB_PROG_ID = 6;
    public static final int IFLA_XDP_HW_PROG_ID = 7;
    public static final int IFLA_XDP_EXPECTED_FD = 8;
    /** NLA_TYPE_MASK: an attribute's type without the nested and byte-order flags. */
    public static final int NLA_TYPE_MASK = 0x3FFF;
    // <linux/genetlink.h>, <linux/netdev.h>: the "netdev" generic netlink family
    public static final int NETLINK_GENERIC = 16;
    public static final int GENL_ID_CTRL = 0x10;
    public static final int CTRL_CMD_GETFAMILY = 3;
    public static final int CTRL_ATTR_FAMILY_ID = 1;
    public static final int CTRL_ATTR_FAMILY_NAME = 2;
    public static final int NETDEV_CMD_DEV_GET = 1;
    public static final int NETDEV_A_DEV_IFINDEX = 1;
    public static final int NETDEV_A_DEV_XDP_FEATURES = 3;
    public static final int NETDEV_A_DEV_XDP_ZC_MAX_SEGS = 4;
    /** SO_RCVTIMEO (the 64-bit struct timeval form on 64-bit machines). */
    public static final int SO_RCVTIMEO = 20;
    public static final int XDP_FLAGS_UPDATE_IF_NOEXIST = 1;
    public static final int XDP_FLAGS_SKB_MODE = 2;
    public static final int XDP_FLAGS_DRV_MODE = 4;
    public static final int XDP_FLAGS_REPLACE = 16;
    /** IFLA_XDP_ATTACHED values: none, in the driver, generic (skb), offloaded, several. */
    public static final int XDP_ATTACHED_NONE = 0;
    public static final int XDP_ATTACHED_DRV = 1;
    public static final int XDP_ATTACHED_SKB = 2;
    public static final int XDP_ATTACHED_HW = 3;
    public static final int XDP_ATTACHED_MULTI = 4;
    /** The helper {@code bpf_redirect_map}; {@code XDP_PASS} as its fallback action. */
    public static final int BPF_FUNC_REDIRECT_MAP = 51;
    public static final int XDP_PASS = 2;

    /** BPF_ANY: create or update a map element. */
    public static final long BPF_ANY = 0;
    /** The bpf(2) system call number: x86_64 321, aarch64 280; -1 on other architectures. */
    public static final long SYS_BPF = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> 321;
        case "aarch64", "arm64" -> 280;
        default -> -1;
    };

    // <linux/if_xdp.h>: AF_XDP sockets
    public static final int AF_XDP = 44;
    public static final int SOL_XDP = 283;
    public static final int XDP_MMAP_OFFSETS = 1;
    public static final int XDP_RX_RING = 2;
    public static final int XDP_TX_RING = 3;
    public static final int XDP_UMEM_REG = 4;
    public static final int XDP_UMEM_FILL_RING = 5;
    public static final int XDP_UMEM_COMPLETION_RING = 6;
    public static final int XDP_STATISTICS = 7;
    public static final int XDP_OPTIONS = 8;
    /** sxdp_flags: bind to another socket's UMEM (its fd in sxdp_shared_umem_fd). */
    public static final int XDP_SHARED_UMEM = 1;
    /** sxdp_flags: force copy mode. */
    public static final int XDP_COPY = 1 << 1;
    /** sxdp_flags: force zero-copy mode; refused when the driver lacks it. */
    public static final int XDP_ZEROCOPY = 1 << 2;
    /** sxdp_flags: the kernel sets XDP_RING_NEED_WAKEUP when it wants a syscall to go on. */
    public static final int XDP_USE_NEED_WAKEUP = 1 << 3;
    /** The ring's flags word: the kernel waits for a wakeup (poll, recvfrom or sendto). */
    public static final int XDP_RING_NEED_WAKEUP = 1;
    /** xdp_options.flags: the socket runs in zero-copy mode. */
    public static final int XDP_OPTIONS_ZEROCOPY = 1;
    public static final long XDP_PGOFF_RX_RING = 0;
    public static final long XDP_PGOFF_TX_RING = 0x80000000L;
    public static final long XDP_UMEM_PGOFF_FILL_RING = 0x100000000L;
    public static final long XDP_UMEM_PGOFF_COMPLETION_RING = 0x180000000L;
    /** XDP_PACKET_HEADROOM: the kernel keeps this much room in front of each received frame. */
    public static final int XDP_PACKET_HEADROOM = 256;

    // <linux/sockios.h>, <linux/ethtool.h>: driver facts through SIOCETHTOOL
    public static final long SIOCETHTOOL = 0x8946;
    public static final int ETHTOOL_GDRVINFO = 0x3;
    public static final int ETHTOOL_GCHANNELS = 0x3c;

    // <linux/sockios.h>, <net/if.h>: interface queries on any socket
    public static final int AF_INET = 2;
    public static final int SOCK_DGRAM = 2;
    public static final long SIOCGIFFLAGS = 0x8913;
    public static final long SIOCGIFMTU = 0x8921;
    public static final long SIOCGIFHWADDR = 0x8927;
    public static final int IFF_UP = 0x1;
    public static final int IFF_BROADCAST = 0x2;
    public static final int IFF_LOOPBACK = 0x8;
    public static final int IFF_POINTOPOINT = 0x10;
    public static final int IFF_RUNNING = 0x40;
    public static final int IFF_NOARP = 0x80;
    public static final int IFF_PROMISC = 0x100;
    public static final int IFF_ALLMULTI = 0x200;
    public static final int IFF_MULTICAST = 0x1000;
    // <linux/if_arp.h>: device types (ifr_hwaddr.sa_family) whose link header is Ethernet's
    public static final int ARPHRD_ETHER = 1;
    public static final int ARPHRD_LOOPBACK = 772;
}
