/* An auth extension: sends "Authorization: Bearer TOKEN" with every request and WebSocket
 * upgrade, and moves to the next token when the server refuses the current one.
 *
 *   cc -shared -fPIC -I/usr/local/include/cometd-cli -o token_plugin.so token_plugin.c
 *   cometd-cli --ext-plugin './token_plugin.so:old-token,new-token' subscribe URL /chat/a
 *
 * ARG is a comma-separated list of tokens; a real plugin would fetch a fresh one from its
 * token endpoint in authenticate(). cometd-cli calls authenticate() after an authentication
 * failure and then retries the failed request; returning non-zero means no credentials are
 * left, and the run ends with exit status 77.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cometd_plugin.h"

typedef struct {
    char **tokens;
    int count;
    int index; /* the token in use */
    int calls; /* authenticate() calls, reported on stderr */
} token_plugin;

static void *create(const char *arg, const char **error) {
    if (!arg || !*arg) {
        *error = "expected ARG 'token[,token...]'";
        return NULL;
    }
    token_plugin *self = calloc(1, sizeof *self);
    for (const char *p = arg; *p; p++) self->count += *p == ',';
    self->count += 1;
    self->tokens = calloc((size_t)self->count, sizeof *self->tokens);
    const char *start = arg;
    for (int i = 0; i < self->count; i++) {
        const char *comma = strchr(start, ',');
        size_t len = comma ? (size_t)(comma - start) : strlen(start);
        self->tokens[i] = strndup(start, len);
        start += len + 1;
    }
    return self;
}

static void destroy(void *opaque) {
    token_plugin *self = opaque;
    for (int i = 0; i < self->count; i++) free(self->tokens[i]);
    free(self->tokens);
    free(self);
}

static char *outgoing(void *opaque, const char *payload, const char *headers, char **new_headers) {
    token_plugin *self = opaque;
    (void)payload;
    /* The headers object with "Authorization":"Bearer TOKEN" appended (tokens hold no quotes). */
    const char *end = strrchr(headers, '}');
    if (!end) return NULL;
    size_t head = (size_t)(end - headers);
    int empty = 1;
    for (const char *c = headers; c < end; c++) {
        if (*c != '{' && *c != ' ') { empty = 0; break; }
    }
    const char *token = self->tokens[self->index];
    char *out = malloc(head + strlen(token) + 40);
    memcpy(out, headers, head);
    sprintf(out + head, "%s\"Authorization\":\"Bearer %s\"}", empty ? "" : ",", token);
    *new_headers = out;
    return NULL;
}

static int authenticate(void *opaque) {
    token_plugin *self = opaque;
    self->calls++;
    if (self->index + 1 >= self->count) {
        fprintf(stderr, "token_plugin: authenticate() #%d: no token left\n", self->calls);
        return 1;
    }
    self->index++;
    fprintf(stderr, "token_plugin: authenticate() #%d: switched to the next token\n", self->calls);
    return 0;
}

static const cometd_plugin_v1 plugin = {
    COMETD_PLUGIN_ABI, "token_plugin", create, destroy, outgoing, NULL, authenticate,
};

const cometd_plugin_v1 *cometd_plugin_entry(void) { return &plugin; }
