/* The only C in onboard: ncursesw with wide-character entry points, plus static
   inline wrappers for the macros and globals Swift cannot import. */
#ifndef ONBOARD_CNCURSESW_SHIM_H
#define ONBOARD_CNCURSESW_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <signal.h>
#include <string.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <wchar.h>
#include <ncursesw/curses.h>

static inline WINDOW *onb_stdscr(void) { return stdscr; }
/* newterm on the process's stdio; NULL (rather than exit) when TERM is unknown. */
static inline SCREEN *onb_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline int onb_lines(void) { return LINES; }
static inline int onb_cols(void) { return COLS; }
static inline int onb_colors(void) { return COLORS; }
static inline int onb_color_pairs(void) { return COLOR_PAIRS; }
static inline int onb_getmaxy(WINDOW *w) { return getmaxy(w); }
static inline int onb_getmaxx(WINDOW *w) { return getmaxx(w); }
static inline attr_t onb_color_pair(int n) { return (attr_t)COLOR_PAIR(n); }
/* Colour pairs with int colours, so direct-colour (24-bit) terminals get RGB values. */
static inline int onb_init_pair(int pair, int fg, int bg) { return init_extended_pair(pair, fg, bg); }

static inline attr_t onb_a_normal(void) { return A_NORMAL; }
static inline attr_t onb_a_bold(void) { return A_BOLD; }
static inline attr_t onb_a_dim(void) { return A_DIM; }
static inline attr_t onb_a_underline(void) { return A_UNDERLINE; }
static inline attr_t onb_a_reverse(void) { return A_REVERSE; }
static inline attr_t onb_a_italic(void) { return A_ITALIC; }

static inline int onb_key_code_yes(void) { return KEY_CODE_YES; }
static inline int onb_err(void) { return ERR; }

/* Draws one grapheme (a base character plus up to four combining marks) with
   attributes and a colour pair at (y, x). */
static inline int onb_put_cell(int y, int x, const wchar_t *chars, attr_t attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, chars, attrs, pair, NULL) != OK) return ERR;
    return mvadd_wch(y, x, &cell);
}

/* Reads one wide key; the return tells a function key (KEY_CODE_YES) from a character. */
static inline int onb_get_wch(wint_t *out) { return get_wch(out); }

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
