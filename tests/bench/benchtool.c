/* Measuring helpers for tests/bench/run.sh, precise where /usr/bin/time is not (it prints
 * CPU time in hundredths of a second):
 *
 *   benchtool run OUT COMMAND [ARGS...]   runs COMMAND; writes "wall_s user_s sys_s maxrss_kb"
 *                                         to the file OUT (microsecond resolution); exits with
 *                                         COMMAND's status
 *   benchtool lines N                     reads stdin to its end; prints "lines epoch_s": the
 *                                         count of lines, and the wall-clock time (CLOCK_REALTIME,
 *                                         as date +%s.%N) at which line N (or the last) arrived
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv_s(struct timeval tv) { return (double)tv.tv_sec + (double)tv.tv_usec / 1e6; }

static int run(const char* out, char** argv) {
  const double start = now_s();
  const pid_t pid = fork();
  if (pid < 0) {
    perror("benchtool: fork");
    return 2;
  }
  if (pid == 0) {
    execvp(argv[0], argv);
    perror("benchtool: exec");
    _exit(127);
  }
  int status = 0;
  struct rusage usage;
  if (wait4(pid, &status, 0, &usage) < 0) {
    perror("benchtool: wait4");
    return 2;
  }
  const double wall = now_s() - start;
  FILE* f = fopen(out, "w");
  if (f == NULL) {
    perror("benchtool: output file");
    return 2;
  }
  fprintf(f, "%.6f %.6f %.6f %ld\n", wall, tv_s(usage.ru_utime), tv_s(usage.ru_stime),
          usage.ru_maxrss);
  fclose(f);
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  return 128 + WTERMSIG(status);
}

static int lines(long want) {
  static char buf[1 << 16];
  long count = 0;
  struct timespec last = {0, 0};
  ssize_t n;
  while ((n = read(STDIN_FILENO, buf, sizeof buf)) > 0) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    for (ssize_t i = 0; i < n; ++i) {
      if (buf[i] == '\n' && ++count <= want) {
        last = t;
      }
    }
  }
  printf("%ld %ld.%09ld\n", count, (long)last.tv_sec, last.tv_nsec);
  return 0;
}

int main(int argc, char** argv) {
  if (argc >= 4 && strcmp(argv[1], "run") == 0) {
    return run(argv[2], argv + 3);
  }
  if (argc == 3 && strcmp(argv[1], "lines") == 0) {
    return lines(atol(argv[2]));
  }
  fprintf(stderr, "usage: benchtool run OUT COMMAND [ARGS...] | benchtool lines N\n");
  return 2;
}
