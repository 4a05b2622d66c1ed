/* Process-wide C that Swift cannot express: signals caught as flags and process hardening.
   Only OnboardProcess includes it: its one signal mask must live in one Swift module. */
#ifndef ONBOARD_CPROCESS_SHIM_H
#define ONBOARD_CPROCESS_SHIM_H

#include <signal.h>
#include <string.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/resource.h>

/* Signals as flags: the handler only records the number (async-signal-safe); the loop takes
   the flags between input polls. Works whichever thread the kernel picks to deliver to. */
static volatile sig_atomic_t onb_pending_signals = 0;
static void onb_note_signal(int number) { onb_pending_signals |= (1 << number); }
static inline int onb_catch_signal(int number) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = onb_note_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return sigaction(number, &action, NULL);
}
/* The signals caught since the last call, as a bit mask by signal number. */
static inline int onb_take_signals(void) {
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &previous);
    int taken = onb_pending_signals;
    onb_pending_signals = 0;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    return taken;
}

/* No core file, and no ptrace or /proc/<pid>/mem by other processes of the user: secrets in
   memory stay there. prctl is variadic, so Swift reaches it through here. */
static inline int onb_make_undumpable(void) {
    struct rlimit none = {0, 0};
    int limited = setrlimit(RLIMIT_CORE, &none);
    int undumpable = prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    return limited == 0 && undumpable == 0 ? 0 : -1;
}
/* 1 when the process may be dumped or traced (for tests). */
static inline int onb_is_dumpable(void) { return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0); }

#endif
