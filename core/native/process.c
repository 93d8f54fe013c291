/*
 * The core's native module (src/native.ts). isatty(fd): libc's answer, without Node's tty module.
 * sha256(bytes): the hex digest by the OpenSSL inside the running Node.js (found with dlsym; Node
 * exports it for addons), without node:crypto's ~9 ms of loading; undefined when it is not there.
 * exec(file, argv, env, fds): replaces this process with `file` (execve), for the warm path on
 * Node.js lines without process.execve (< 22.15), and on every line for a launch that hands the
 * runtime descriptors (Node opens every file close-on-exec, and process.execve cannot move them).
 * fds[i] >= 0 becomes descriptor 3 + i of the new program; 0-2 stay what they are, as with spawn's
 * 'inherit', and every other descriptor closes. Signal dispositions and the signal
 * mask are reset as libuv resets them for a spawned child. Everything that can fail is checked
 * before the first descriptor moves: on failure the call returns an errno and this process is
 * intact. Should execve itself still fail after that, the process ends with 127 (as a shell does),
 * because its own descriptors 3.. may already be replaced.
 * Built by scripts/build-native.mjs; without a C compiler the warm path spawns the runtime instead.
 */
#define NAPI_VERSION 8
#include <node_api.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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

static napi_value errno_value(napi_env env, int code) {
  napi_value result;
  napi_create_int32(env, code, &result);
  return result;
}

static napi_value exec_program(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value args[4];
  if (napi_get_cb_info(env, info, &argc, args, NULL, NULL) != napi_ok || argc != 4) return errno_value(env, EINVAL);
  char *file = string_of(env, args[0]);
  char **argv = strings_of(env, args[1]);
  char **envp = strings_of(env, args[2]);
  uint32_t fd_count = 0;
  int fds[MAX_FDS];
  int ok = file != NULL && argv != NULL && argv[0] != NULL && envp != NULL && napi_get_array_length(env, args[3], &fd_count) == napi_ok && fd_count <= MAX_FDS;
  for (uint32_t i = 0; ok && i < fd_count; i++) {
    napi_value item;
    ok = napi_get_element(env, args[3], i, &item) == napi_ok && napi_get_value_int32(env, item, &fds[i]) == napi_ok && (fds[i] < 0 || fcntl(fds[i], F_GETFD) != -1);
  }
  if (!ok) return errno_value(env, EINVAL);
  char *program = program_path(file, envp);
  if (program == NULL) return errno_value(env, errno);

  /* First out of the way (above every target), then onto 3 + i; dup2 leaves the copy open across exec. */
  int moved[MAX_FDS];
  for (uint32_t i = 0; i < fd_count; i++) {
    moved[i] = fds[i] < 0 ? -1 : fcntl(fds[i], F_DUPFD_CLOEXEC, 3 + MAX_FDS);
    if (fds[i] >= 0 && moved[i] < 0) {
      int code = errno;
      for (uint32_t j = 0; j < i; j++)
        if (moved[j] >= 0) close(moved[j]);
      return errno_value(env, code);
    }
  }
  for (uint32_t i = 0; i < fd_count; i++)
    if (moved[i] >= 0) dup2(moved[i], 3 + (int)i);
  /* Node marks every descriptor it inherited close-on-exec at start, the standard three included;
     its streams may have made them non-blocking, which Node undoes at exit (and an exec never exits). */
  for (int fd = 0; fd < 3; fd++) {
    fcntl(fd, F_SETFD, 0);
    int flags = fcntl(fd, F_GETFL);
    if (flags != -1 && (flags & O_NONBLOCK)) fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  }

  sigset_t none;
  sigemptyset(&none);
  for (int sig = 1; sig < NSIG; sig++)
    if (sig != SIGKILL && sig != SIGSTOP) signal(sig, SIG_DFL);
  sigprocmask(SIG_SETMASK, &none, NULL);
  execve(program, argv, envp);
  int code = errno;
  dprintf(2, "anysnake2: could not start %s: %s\n", program, strerror(code));
  _exit(127);
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
  int ok = export_function(env, exports, "exec", exec_program) && export_function(env, exports, "isatty", is_terminal) && export_function(env, exports, "sha256", sha256_hex);
  return ok ? exports : NULL;
}
