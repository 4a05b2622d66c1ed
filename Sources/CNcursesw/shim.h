/* ncursesw with wide-character entry points, plus static inline wrappers for the macros and
   globals Swift cannot import. (Signals and process hardening are in CProcess.) */
#ifndef ONBOARD_CNCURSESW_SHIM_H
#define ONBOARD_CNCURSESW_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <string.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

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

/* Copies the string capability `name` (extended names such as BE included) of the terminal
   type `term` into `out`, without starting curses: 1 when the entry has it, 0 when the type is
   unknown or lacks it. The entry is loaded and freed again; whatever was current stays so. */
static inline int onb_terminfo_string(const char *term, const char *name, char *out, size_t size) {
    TERMINAL *before = cur_term;
    int error = 0;
    if (setupterm(term, 2, &error) != OK) return 0;
    TERMINAL *loaded = cur_term;
    const char *value = tigetstr(name);
    int found = value != NULL && value != (const char *)-1 && strlen(value) < size;
    if (found) strcpy(out, value);
    set_curterm(before);
    del_curterm(loaded);
    return found;
}

#endif
