#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

// Swift 6 cannot assign readline's mutable C globals; these setters do it in C.
typedef char **(*astrolabe_completion_fn)(const char *, int, int);
static inline void astrolabe_set_completion(astrolabe_completion_fn fn) {
    rl_attempted_completion_function = (rl_completion_func_t *)fn;
}
static inline void astrolabe_set_word_break_characters(const char *chars) {
    rl_completer_word_break_characters = (char *)chars;
}
static inline void astrolabe_set_completion_append_character(int c) { rl_completion_append_character = c; }
static inline void astrolabe_set_attempted_completion_over(int v) { rl_attempted_completion_over = v; }
static inline void astrolabe_set_catch_signals(int v) { rl_catch_signals = v; }
static inline const char *astrolabe_line_buffer(void) { return rl_line_buffer; }
static inline int astrolabe_point(void) { return rl_point; }
static inline void astrolabe_set_readline_name(const char *name) { rl_readline_name = name; }
static inline void astrolabe_set_filename_completion_desired(int v) { rl_filename_completion_desired = v; }
static inline void astrolabe_set_completer_quote_characters(const char *chars) {
    rl_completer_quote_characters = (char *)chars;
}
static inline void astrolabe_set_catch_sigwinch(int v) { rl_catch_sigwinch = v; }
// Ctrl-C at the prompt: put the cursor after the text so "^C" lands at the end of the line.
static inline void astrolabe_move_to_end(void) { rl_point = rl_end; }
static inline int astrolabe_history_length(void) { return history_length; }
static inline int astrolabe_history_base(void) { return history_base; }
static inline void astrolabe_set_outstream(FILE *f) { rl_outstream = f; }
