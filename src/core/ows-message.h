/* ows-message.h: the wire format of the OVOS messagebus (PROTOCOL.md section 1).
 * SPDX-License-Identifier: Apache-2.0
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define OWS_MESSAGE_ERROR (ows_message_error_quark ())

typedef enum
{
  OWS_MESSAGE_ERROR_INVALID_JSON,  /* not JSON at all */
  OWS_MESSAGE_ERROR_NOT_OBJECT,    /* JSON, but not an object */
  OWS_MESSAGE_ERROR_NO_TYPE,       /* no "type", or not a string, or empty */
  OWS_MESSAGE_ERROR_BAD_DATA,      /* "data" present, not null and not an object */
  OWS_MESSAGE_ERROR_NUL,           /* a NUL (\u0000) in "type", or one we cannot place */
} OwsMessageError;

/* Longest type the peek answers for; longer ones fall back to a full parse. */
#define OWS_MESSAGE_PEEK_MAX 256

typedef struct _OwsMessage OwsMessage;

#define OWS_TYPE_MESSAGE (ows_message_get_type ())

GType       ows_message_get_type       (void) G_GNUC_CONST;
GQuark      ows_message_error_quark    (void);

/* data and context are transfer full and nullable (NULL = {}). A parsed
 * message's data and context are sealed json-glib objects: read them, copy
 * before changing; reply/response/forward give a context of one's own.
 * Parsing takes strict JSON only: json-glib 1.6's extras (comments, single
 * quotes, hex numbers, values in a row, C's escapes such as \377), frames
 * nested deeper than 512 levels, malformed \u escapes, and numbers it cannot
 * read and write back exactly (integers beyond 64 bits, 1e400, 1e21) are
 * INVALID_JSON, as json-glib would leak, crash, misread or write no JSON.
 * json-glib cuts strings at a NUL ("a\u0000b" reads as "a"), so a frame
 * with a \u0000 escape in "type" (or in a top-level member name) is NUL;
 * one elsewhere parses, marked: ows_message_has_nul () says so, and names
 * the member of "data" holding it when it can. Callers must not take such
 * a message for the request its cut strings spell.
 * The peek returns TRUE only when the type is certainly what the parse would
 * give; FALSE means "unsure, parse it". It never reads past length. */
OwsMessage *ows_message_new            (const char  *type,
                                        JsonObject  *data,
                                        JsonObject  *context);
OwsMessage *ows_message_parse          (const char  *text,
                                        gssize       length,
                                        GError     **error);
char       *ows_message_serialize      (OwsMessage  *self,
                                        gsize       *length);
gboolean    ows_message_peek_type      (const char  *text,
                                        gsize        length,
                                        char         type[OWS_MESSAGE_PEEK_MAX + 1]);

OwsMessage *ows_message_reply          (OwsMessage  *request,
                                        const char  *type,
                                        JsonObject  *data);
OwsMessage *ows_message_response       (OwsMessage  *request,
                                        JsonObject  *data);
OwsMessage *ows_message_forward        (OwsMessage  *request,
                                        const char  *type,
                                        JsonObject  *data);

OwsMessage *ows_message_ref            (OwsMessage  *self);
void        ows_message_unref          (OwsMessage  *self);

const char *ows_message_get_type_name  (OwsMessage  *self);
JsonObject *ows_message_get_data       (OwsMessage  *self);
JsonObject *ows_message_get_context    (OwsMessage  *self);
gboolean    ows_message_has_nul        (OwsMessage  *self,
                                        const char **data_member);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OwsMessage, ows_message_unref)

G_END_DECLS
