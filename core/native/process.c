/*
 * The core's native module (src/native.ts), three calls the warm path would otherwise load Node
 * modules for (~20 ms together):
 * foreground(file, argv, env, fds, terminal, graceSeconds): starts a program and waits for it, as
 *   node:child_process's spawn with stdio 'inherit' does, with a process started by posix_spawn
 *   (vfork: no copy of Node's memory maps). fds[i] >= 0 becomes its descriptor 3 + i. While it runs,
 *   TERM, HUP and INT sent to this process are passed on to it (INT and QUIT not when `terminal`:
 *   the keyboard sent them to the whole process group) and it is killed graceSeconds later if still
 *   there; the result is then 128 + that signal, else its exit status (128 + signal when a signal
 *   ended it) — pipeline/run-signals.ts's rules. Returns { status, signal } (the signal that stopped
 *   the run, 0 for none); status is -errno when it could not be started.
 * isatty(fd): libc's answer, without Node's tty module.
 * sha256(bytes): the hex digest by the OpenSSL inside the running Node.js (found with dlsym; Node
 *   exports it for addons), without node:crypto; undefined when it is not there.
 * Built by scripts/build-native.mjs; without a C compiler anysnake2 uses Node's modules instead.
 */
#define NAPI_VERSION 8
#include <node_api.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FDS 7 /* descriptors 3..9 */

static char *string_of(napi_env env, napi_value value) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &length) != napi_ok) return NULL;
  char *text = malloc(length + 1);
  if (text == NULL) return NULL;
  if (napi_get_value_string_utf8(env, value, text, length + 1, &length) != napi_ok || strlen(text) != length) {
    free(text); /* not a string, or one with a NUL byte (execve cannot pass it) */
    return NULL;
  }
  return text;
}

/* A NULL-terminated copy of a JS array of strings; NULL when it is not one. */
static char **strings_of(napi_env env, napi_value array) {
  uint32_t count = 0;
  if (napi_get_array_length(env, array, &count) != napi_ok) return NULL;
  char **list = calloc((size_t)count + 1, sizeof(char *));
  if (list == NULL) return NULL;
  for (uint32_t i = 0; i < count; i++) {
    napi_value item;
    if (napi_get_element(env, array, i, &item) != napi_ok || (list[i] = string_of(env, item)) == NULL) {
      for (uint32_t j = 0; j < i; j++) free(list[j]);
      free(list);
      return NULL;
    }
  }
  return list;
}

/* The program as execvp finds it: `file` itself when it names a path, else the first executable on PATH. */
static char *program_path(const char *file, char *const *envp) {
  if (strchr(file, '/') != NULL) return access(file, X_OK) == 0 ? strdup(file) : NULL;
  const char *path = NULL;
  for (char *const *e = envp; *e != NULL; e++)
    if (strncmp(*e, "PATH=", 5) == 0) path = *e + 5;
  if (path == NULL) path = "/usr/local/bin:/usr/bin:/bin";
  size_t file_length = strlen(file);
  while (1) {
    const char *end = strchr(path, ':');
    size_t dir_length = end ? (size_t)(end - path) : strlen(path);
    char *candidate = malloc(dir_length + file_length + 3);
    if (candidate == NULL) return NULL;
    if (dir_length == 0) snprintf(candidate, file_length + 3, "./%s", file);
    else snprintf(candidate, dir_length + file_length + 2, "%.*s/%s", (int)dir_length, path, file);
    if (access(candidate, X_OK) == 0) return candidate;
    free(candidate);
    if (end == NULL) break;
    path = end + 1;
  }
  errno = ENOENT;
  return NULL;
}

static napi_value int_value(napi_env env, int code) {
  napi_value result;
  napi_create_int32(env, code, &result);
  return result;
}

static volatile pid_t running_child;
static volatile sig_atomic_t received_signal;
static int keyboard_terminal;
static unsigned grace_seconds;

/* TERM, HUP and INT (not from the keyboard) go on to the program; SIGALRM ends the grace period. */
static void forward_signal(int sig) {
  if (sig == SIGALRM) {
    if (running_child > 0) kill(running_child, SIGKILL);
    return;
  }
  if ((sig == SIGINT || sig == SIGQUIT) && keyboard_terminal) return;
  if (sig == SIGQUIT) return;
  if (!received_signal) received_signal = sig;
  if (running_child > 0) {
    kill(running_child, sig);
    alarm(grace_seconds);
  }
}

static const int HANDLED[] = {SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGALRM};
#define HANDLED_COUNT ((int)(sizeof(HANDLED) / sizeof(HANDLED[0])))

/* { status, signal }: the exit status (-errno: not started) and the signal that stopped the run (0: none). */
static napi_value foreground_answer(napi_env env, int status, int signal) {
  napi_value answer;
  if (napi_create_object(env, &answer) != napi_ok) return NULL;
  napi_set_named_property(env, answer, "status", int_value(env, status));
  napi_set_named_property(env, answer, "signal", int_value(env, signal));
  return answer;
}

static void free_strings(char **list) {
  if (list == NULL) return;
  for (char **item = list; *item != NULL; item++) free(*item);
  free(list);
}

/* Starts `program` with the inputs on 3 + i and waits for it: the exit status (-errno: not started); *passed_on: the signal passed on (0: none). */
static int start_and_wait(const char *program, char **argv, char **envp, const int *fds, uint32_t fd_count, bool terminal, uint32_t grace, int *passed_on) {
  /* The inputs first out of the way of 3..9 (close-on-exec copies), then onto 3 + i in the child. */
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  int moved[MAX_FDS];
  for (uint32_t i = 0; i < fd_count; i++) {
    moved[i] = fds[i] < 0 ? -1 : fcntl(fds[i], F_DUPFD_CLOEXEC, 3 + MAX_FDS);
    if (moved[i] >= 0) posix_spawn_file_actions_adddup2(&actions, moved[i], 3 + (int)i);
  }
  /* Node marks every descriptor it inherited close-on-exec at start, the standard three included. */
  for (int fd = 0; fd < 3; fd++) {
    int flags = fcntl(fd, F_GETFD);
    if (flags != -1 && (flags & FD_CLOEXEC)) fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
  }
  /* Every signal at its default and none blocked, as libuv starts a child. */
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attributes, &all);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  /* Listening before the start: a signal in between is passed on as soon as there is a child. */
  keyboard_terminal = terminal;
  grace_seconds = grace == 0 ? 1 : grace;
  received_signal = 0;
  running_child = 0;
  struct sigaction handler, previous[HANDLED_COUNT];
  memset(&handler, 0, sizeof(handler));
  handler.sa_handler = forward_signal;
  sigfillset(&handler.sa_mask);
  for (int i = 0; i < HANDLED_COUNT; i++) sigaction(HANDLED[i], &handler, &previous[i]);

  pid_t child = 0;
  int code = posix_spawn(&child, program, &actions, &attributes, argv, envp);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  for (uint32_t i = 0; i < fd_count; i++)
    if (moved[i] >= 0) close(moved[i]);
  int result;
  if (code != 0) {
    result = -code; /* not started: -errno */
  } else {
    running_child = child;
    if (received_signal) {
      kill(child, received_signal);
      alarm(grace_seconds);
    }
    int status = 0;
    while (waitpid(child, &status, 0) == -1 && errno == EINTR) {
    }
    running_child = 0;
    alarm(0);
    result = received_signal ? 128 + received_signal : WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
  }
  *passed_on = received_signal;
  for (int i = 0; i < HANDLED_COUNT; i++) sigaction(HANDLED[i], &previous[i], NULL);
  return result;
}

static napi_value foreground_program(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value args[6];
  if (napi_get_cb_info(env, info, &argc, args, NULL, NULL) != napi_ok || argc != 6) return foreground_answer(env, -EINVAL, 0);
  char *file = string_of(env, args[0]);
  char **argv = strings_of(env, args[1]);
  char **envp = strings_of(env, args[2]);
  uint32_t fd_count = 0;
  int fds[MAX_FDS];
  bool terminal = false;
  uint32_t grace = 5;
  int ok = file != NULL && argv != NULL && argv[0] != NULL && envp != NULL && napi_get_array_length(env, args[3], &fd_count) == napi_ok && fd_count <= MAX_FDS &&
           napi_get_value_bool(env, args[4], &terminal) == napi_ok && napi_get_value_uint32(env, args[5], &grace) == napi_ok;
  for (uint32_t i = 0; ok && i < fd_count; i++) {
    napi_value item;
    ok = napi_get_element(env, args[3], i, &item) == napi_ok && napi_get_value_int32(env, item, &fds[i]) == napi_ok && (fds[i] < 0 || fcntl(fds[i], F_GETFD) != -1);
  }
  int result = -EINVAL, passed_on = 0;
  if (ok) {
    char *program = program_path(file, envp);
    if (program == NULL) result = -errno;
    else {
      result = start_and_wait(program, argv, envp, fds, fd_count, terminal, grace, &passed_on);
      free(program);
    }
  }
  free(file);
  free_strings(argv);
  free_strings(envp);
  return foreground_answer(env, result, passed_on);
}


typedef const void *(*evp_md_getter)(void);
typedef int (*evp_digest_function)(const void *data, size_t count, unsigned char *md, unsigned int *size, const void *type, void *engine);

static napi_value sha256_hex(napi_env env, napi_callback_info info) {
  static evp_md_getter sha256_type;
  static evp_digest_function digest;
  static int looked_up;
  if (!looked_up) {
    looked_up = 1;
    sha256_type = (evp_md_getter)dlsym(RTLD_DEFAULT, "EVP_sha256");
    digest = (evp_digest_function)dlsym(RTLD_DEFAULT, "EVP_Digest");
  }
  napi_value result, arg;
  size_t argc = 1;
  napi_get_undefined(env, &result);
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  if (sha256_type == NULL || digest == NULL) return result;
  if (napi_get_cb_info(env, info, &argc, &arg, NULL, NULL) != napi_ok || argc != 1) return result;
  if (napi_get_typedarray_info(env, arg, &type, &length, &data, NULL, NULL) != napi_ok || type != napi_uint8_array) return result;
  unsigned char md[32];
  unsigned int size = 0;
  if (digest(data == NULL ? "" : data, length, md, &size, sha256_type(), NULL) != 1 || size != 32) return result;
  char hex[65];
  for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", md[i]);
  napi_create_string_latin1(env, hex, 64, &result);
  return result;
}

static napi_value is_terminal(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arg, result;
  int32_t fd = -1;
  if (napi_get_cb_info(env, info, &argc, &arg, NULL, NULL) != napi_ok || argc != 1 || napi_get_value_int32(env, arg, &fd) != napi_ok) fd = -1;
  napi_get_boolean(env, fd >= 0 && isatty(fd) == 1, &result);
  return result;
}

static int export_function(napi_env env, napi_value exports, const char *name, napi_callback body) {
  napi_value function;
  return napi_create_function(env, name, NAPI_AUTO_LENGTH, body, NULL, &function) == napi_ok && napi_set_named_property(env, exports, name, function) == napi_ok;
}

NAPI_MODULE_INIT() {
  int ok = export_function(env, exports, "foreground", foreground_program) && export_function(env, exports, "isatty", is_terminal) && export_function(env, exports, "sha256", sha256_hex);
  return ok ? exports : NULL;
}
