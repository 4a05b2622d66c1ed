/* Starting a gateway session's child on a pseudo-terminal. posix_spawn (not fork) because the
   gateway is multi-threaded: only exec is safe in a forked copy of it, and glibc's posix_spawn
   does the session, the terminal and the descriptors between its clone and the exec. */
#ifndef ONBOARD_CSPAWN_SHIM_H
#define ONBOARD_CSPAWN_SHIM_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* glibc declares these only under _GNU_SOURCE / XSI, which must not differ from how Swift's own
   Glibc module sees the headers: declared here with glibc's signatures instead. */
extern int posix_openpt(int flags);
extern int grantpt(int fd);
extern int unlockpt(int fd);
extern int ptsname_r(int fd, char *buffer, size_t size);
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);
extern int pipe2(int fds[2], int flags);
#define ONB_POSIX_SPAWN_SETSID 0x80

/* A new pty pair's master (close-on-exec, never this process's controlling terminal) with its
   window set; the slave's path in `path`. -1 with errno on failure. */
static inline int onb_open_pty(char *path, size_t size, unsigned short rows, unsigned short columns) {
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) return -1;
    if (grantpt(master) != 0 || unlockpt(master) != 0 || ptsname_r(master, path, size) != 0) {
        int saved = errno;
        close(master);
        errno = saved;
        return -1;
    }
    /* grantpt leaves the slave 0620 with the tty group, so `write` and `wall` from any user
       reach the customer's screen: the session's terminal is its own alone. */
    if (chmod(path, 0600) != 0) {
        int saved = errno;
        close(master);
        errno = saved;
        return -1;
    }
    struct winsize window = {rows, columns, 0, 0};
    if (ioctl(master, TIOCSWINSZ, &window) != 0) {
        int saved = errno;
        close(master);
        errno = saved;
        return -1;
    }
    return master;
}

/* A new window size; the kernel sends SIGWINCH to the terminal's foreground process group. */
static inline int onb_set_window(int master, unsigned short rows, unsigned short columns) {
    struct winsize window = {rows, columns, 0, 0};
    return ioctl(master, TIOCSWINSZ, &window);
}

/* Starts `path` as the leader of a new session whose controlling terminal is the pty slave at
   `tty` (opened as 0, 1 and 2 after setsid), with `passed[i]` as descriptor 3 + i and every
   other descriptor closed; signal handlers and mask back to their defaults. Returns 0 or an
   errno value. */
static inline int onb_spawn_on_pty(pid_t *pid, const char *path, const char *tty, char *const argv[], char *const envp[],
                                   const int *passed, int passed_count) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    int moved[8];
    if (passed_count < 0 || passed_count > 8) return EINVAL;
    /* Out of the way first: dup2 into 3, 4... must not overwrite a descriptor still to be placed. */
    for (int i = 0; i < passed_count; i++) {
        moved[i] = fcntl(passed[i], F_DUPFD_CLOEXEC, 64);
        if (moved[i] < 0) {
            int saved = errno;
            for (int j = 0; j < i; j++) close(moved[j]);
            return saved;
        }
    }
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    int reset[] = {SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGCHLD, SIGWINCH, SIGTSTP, SIGTTIN, SIGTTOU, SIGUSR1, SIGUSR2, SIGALRM};
    for (unsigned i = 0; i < sizeof reset / sizeof reset[0]; i++) sigaddset(&defaults, reset[i]);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setflags(&attributes, ONB_POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    /* After setsid, a session leader opening a terminal without O_NOCTTY acquires it. */
    posix_spawn_file_actions_addopen(&actions, 0, tty, O_RDWR, 0);
    posix_spawn_file_actions_adddup2(&actions, 0, 1);
    posix_spawn_file_actions_adddup2(&actions, 0, 2);
    for (int i = 0; i < passed_count; i++) posix_spawn_file_actions_adddup2(&actions, moved[i], 3 + i);
    posix_spawn_file_actions_addclosefrom_np(&actions, 3 + passed_count);
    int result = posix_spawn(pid, path, &actions, &attributes, argv, envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    for (int i = 0; i < passed_count; i++) close(moved[i]);
    return result;
}

/* A connected pair of Unix stream sockets, close-on-exec: a session's report channel, on which
   the gateway answers each event once it is written. */
static inline int onb_socket_pair(int fds[2]) { return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds); }

/* The child's exit: its status (0-255), or 128 + the signal that ended it; -1 while it runs. */
static inline int onb_reap(pid_t pid) {
    int status = 0;
    pid_t done;
    do { done = waitpid(pid, &status, WNOHANG); } while (done < 0 && errno == EINTR);
    if (done == 0) return -1;
    if (done < 0) return 255;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

#endif
