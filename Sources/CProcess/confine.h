/* Confinement of a gateway session's program: no new privileges, a Landlock ruleset, resource
   limits. Landlock's structures are declared here rather than taken from <linux/landlock.h>,
   whose copy on a build machine may be older than the kernel the gateway runs on (the rights of
   later ABIs are asked for only when the kernel reports them). */
#ifndef ONBOARD_CPROCESS_CONFINE_H
#define ONBOARD_CPROCESS_CONFINE_H

#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif
#ifndef O_PATH
#define O_PATH 010000000
#endif

struct onb_landlock_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
    uint64_t scoped;
};

struct onb_landlock_path_beneath_attr {
    uint64_t allowed_access;
    int32_t parent_fd;
} __attribute__((packed));

/* Filesystem rights by the ABI that introduced them. */
#define ONB_LL_FS_ABI1 ((1ULL << 13) - 1) /* execute ... make_sym */
#define ONB_LL_FS_REFER (1ULL << 13)      /* ABI 2 */
#define ONB_LL_FS_TRUNCATE (1ULL << 14)   /* ABI 3 */
#define ONB_LL_FS_IOCTL_DEV (1ULL << 15)  /* ABI 5 */
#define ONB_LL_SCOPE_ABSTRACT_UNIX (1ULL << 0) /* ABI 6 */
#define ONB_LL_SCOPE_SIGNAL (1ULL << 1)        /* ABI 6 */

#define ONB_LL_READ_FILE (1ULL << 2)
#define ONB_LL_READ_DIR (1ULL << 3)
#define ONB_LL_WRITE_FILE (1ULL << 1)

/* The Landlock ABI this kernel offers: 0 when it has none (or it is turned off). */
static inline int onb_landlock_abi(void) {
    long abi = syscall(SYS_landlock_create_ruleset, (void *)0, 0, 1UL /* LANDLOCK_CREATE_RULESET_VERSION */);
    return abi < 0 ? 0 : (int)abi;
}

/* Every filesystem right the kernel's ABI knows: handled, so denied unless a rule grants it. */
static inline uint64_t onb_landlock_handled_fs(int abi) {
    uint64_t rights = ONB_LL_FS_ABI1;
    if (abi >= 2) rights |= ONB_LL_FS_REFER;
    if (abi >= 3) rights |= ONB_LL_FS_TRUNCATE;
    if (abi >= 5) rights |= ONB_LL_FS_IOCTL_DEV;
    return rights;
}

/* A new ruleset handling every filesystem right of `abi` (and, from ABI 6, signals and abstract
   Unix sockets scoped to the domain). A descriptor, or -1 with errno. */
static inline int onb_landlock_ruleset(int abi) {
    struct onb_landlock_ruleset_attr attributes = {0, 0, 0};
    attributes.handled_access_fs = onb_landlock_handled_fs(abi);
    size_t size = sizeof(uint64_t);
    if (abi >= 6) {
        attributes.scoped = ONB_LL_SCOPE_ABSTRACT_UNIX | ONB_LL_SCOPE_SIGNAL;
        size = sizeof attributes;
    }
    return (int)syscall(SYS_landlock_create_ruleset, &attributes, size, 0U);
}

/* Grants `rights` (masked to what the ruleset handles) beneath `path`, a file or a directory.
   0, or -1 with errno (ENOENT for a path that is not there, which callers may skip). */
static inline int onb_landlock_allow(int ruleset, const char *path, uint64_t rights, int abi) {
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) return -1;
    struct onb_landlock_path_beneath_attr rule;
    rule.parent_fd = fd;
    rule.allowed_access = rights & onb_landlock_handled_fs(abi);
    /* A file takes only the rights that apply to files (the kernel refuses the others). */
    struct stat status;
    if (fstat(fd, &status) == 0 && !S_ISDIR(status.st_mode))
        rule.allowed_access &= (1ULL << 0) | ONB_LL_WRITE_FILE | ONB_LL_READ_FILE | ONB_LL_FS_TRUNCATE | ONB_LL_FS_IOCTL_DEV;
    long result = syscall(SYS_landlock_add_rule, ruleset, 1 /* LANDLOCK_RULE_PATH_BENEATH */, &rule, 0U);
    int saved = errno;
    close(fd);
    errno = saved;
    return result < 0 ? -1 : 0;
}

/* No new privileges (set-user-id programs run as the caller), then the ruleset on this thread
   and every thread and child it starts. 0, or -1 with errno. */
static inline int onb_landlock_enforce(int ruleset) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
    long result = syscall(SYS_landlock_restrict_self, ruleset, 0U);
    int saved = errno;
    close(ruleset);
    errno = saved;
    return result < 0 ? -1 : 0;
}

/* The rights of each kind of rule: read a file or list a directory; read and write a file in
   place (a database and its journal), never create, remove or rename beside it; use a device. */
enum onb_landlock_rule_kind { ONB_LANDLOCK_READ = 0, ONB_LANDLOCK_READ_WRITE = 1, ONB_LANDLOCK_DEVICE = 2 };
static inline uint64_t onb_landlock_rights(int kind) {
    switch (kind) {
    case ONB_LANDLOCK_READ: return ONB_LL_READ_FILE | ONB_LL_READ_DIR;
    case ONB_LANDLOCK_READ_WRITE: return ONB_LL_READ_FILE | ONB_LL_WRITE_FILE | ONB_LL_FS_TRUNCATE;
    default: return ONB_LL_READ_FILE | ONB_LL_WRITE_FILE;
    }
}

/* 1 when this process holds no capability at all: effective, permitted and inheritable empty. */
static inline int onb_holds_no_capability(void) {
    struct { uint32_t version; int pid; } header = {0x20080522 /* _LINUX_CAPABILITY_VERSION_3 */, 0};
    struct { uint32_t effective, permitted, inheritable; } data[2];
    memset(data, 0, sizeof data);
    if (syscall(SYS_capget, &header, data) != 0) return 0;
    uint32_t held = 0;
    for (int i = 0; i < 2; i++) held |= data[i].effective | data[i].permitted | data[i].inheritable;
    return held == 0;
}

/* Empties the bounding set: no later exec can gain a capability back. Dropping one takes
   CAP_SETPCAP, so a process that gives up root does this first; capabilities already out of
   the set are skipped, so calling it again without the privilege succeeds. A process that
   holds no capability at all (a gateway run as an ordinary user) cannot change the set and
   need not: under no-new-privileges, which confinement sets, no exec gains anything from it.
   0, or -1 with errno. */
static inline int onb_drop_bounding_set(void) {
    for (int capability = 0; capability < 64; capability++) {
        int held = prctl(PR_CAPBSET_READ, capability, 0, 0, 0);
        if (held < 0) {
            if (errno == EINVAL) break; /* past the kernel's last capability */
            return -1;
        }
        if (held == 1 && prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0) {
            if (errno == EPERM && onb_holds_no_capability()) return 0;
            return -1;
        }
    }
    return 0;
}

/* Gives up every capability for good: the bounding set, the ambient set, then the effective,
   permitted and inheritable sets. A session of a gateway run as root keeps its uid but can no
   longer read what other processes hide (a non-dumpable gateway's /proc files, its memory) or
   override file permissions. 0, or -1 with errno. */
static inline int onb_drop_capabilities(void) {
    if (onb_drop_bounding_set() != 0) return -1;
    if (prctl(47 /* PR_CAP_AMBIENT */, 4 /* PR_CAP_AMBIENT_CLEAR_ALL */, 0, 0, 0) != 0 && errno != EINVAL) return -1;
    /* Nothing held, nothing to give up: a service whose manager forbids capset (systemd's
       ~@privileged) is already where this would take it. */
    if (onb_holds_no_capability()) return 0;
    struct { uint32_t version; int pid; } header = {0x20080522 /* _LINUX_CAPABILITY_VERSION_3 */, 0};
    struct { uint32_t effective, permitted, inheritable; } data[2];
    memset(data, 0, sizeof data);
    return (int)syscall(SYS_capset, &header, data);
}

static inline int onb_no_new_privileges(void) { return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); }
static inline int onb_has_no_new_privileges(void) { return prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0); }

/* Sets a resource limit, soft and hard. */
static inline int onb_limit(int resource, unsigned long long value) {
    struct rlimit limit = {(rlim_t)value, (rlim_t)value};
    return setrlimit(resource, &limit);
}

#endif
