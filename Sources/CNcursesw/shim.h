// Thin C shim over ncursesw for Swift: enables the wide-character API and wraps
// the macros and globals that Swift cannot import (or rejects as not concurrency-safe).
#ifndef PARALLAX_CNCURSESW_SHIM_H
#define PARALLAX_CNCURSESW_SHIM_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <locale.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <termios.h>
#include <unistd.h>

/* Makes ^C an ordinary key on the terminal `fd` (the suspend and quit keys keep working), so
   forms and prompts can treat it as "cancel" instead of the whole program being interrupted.
   Returns 0 on success, -1 when `fd` is not a terminal. */
static inline int px_disable_interrupt_key(int fd) {
    struct termios t;
    if (tcgetattr(fd, &t) != 0) return -1;
    t.c_cc[VINTR] = _POSIX_VDISABLE;
    return tcsetattr(fd, TCSANOW, &t);
}

static inline WINDOW *px_stdscr(void) { return stdscr; }
static inline int px_lines(void) { return LINES; }
static inline int px_cols(void) { return COLS; }
static inline int px_colors(void) { return COLORS; }
static inline int px_color_pairs(void) { return COLOR_PAIRS; }
static inline int px_getmaxy(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)x; return y; }
static inline int px_getmaxx(WINDOW *w) { int y, x; getmaxyx(w, y, x); (void)y; return x; }

static inline attr_t px_a_normal(void) { return A_NORMAL; }
static inline attr_t px_a_bold(void) { return A_BOLD; }
static inline attr_t px_a_underline(void) { return A_UNDERLINE; }
static inline attr_t px_a_reverse(void) { return A_REVERSE; }
static inline attr_t px_a_dim(void) { return A_DIM; }
static inline attr_t px_a_italic(void) { return A_ITALIC; }

static inline mmask_t px_all_mouse_events(void) { return ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION; }
static inline mmask_t px_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t px_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t px_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t px_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t px_button5_pressed(void) {
#ifdef BUTTON5_PRESSED
    return BUTTON5_PRESSED;
#else
    return 0;
#endif
}

static inline int px_get_wch(wint_t *ch) { return wget_wch(stdscr, ch); }
static inline int px_key_f(int n) { return KEY_F(n); }
static inline int px_key_code_yes(void) { return KEY_CODE_YES; }
static inline int px_err(void) { return ERR; }

/* wcwidth is hidden by Swift's Glibc module; redeclare it. */
extern int wcwidth(wchar_t c);
static inline int px_wcwidth(unsigned int c) { return wcwidth((wchar_t)c); }

#endif
