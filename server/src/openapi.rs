//! The OpenAPI 3.1 description of `/api`, served at `/api/openapi.json`. Written by hand next to
//! `api.rs`; a test checks that every route there is described here.

use serde_json::{Value, json};

fn error_response(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

fn json_response(description: &str, schema: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } })
}

pub fn document() -> Value {
    let bearer = json!([{ "token": [] }]);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Werkmuur API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Draaiboeken, live sessions and their agenda. Shared boards are Yjs documents synced over the y-websocket protocol at `GET /sync/{room}` (not described here): a session's rooms are `sessie/{id}/agenda` (written only by the server and the facilitator; map `agenda` with JSON strings `state`, `steps` and `control`), `sessie/{id}/leden` (the members and who is online; facilitator only), `sessie/{id}/blok/{n}` (the board of step n), `sessie/{id}/blok/{n}/groep/{g}` (group g's board in a group step) and `sessie/{id}/blok/{n}/eigen/{member}` (a member's private notes before the reveal). Who may read or write which room follows the agenda and `control`, and is decided again whenever either changes. Pass the token as the `token` query parameter of the websocket URL."
        },
        "components": {
            "securitySchemes": {
                "token": { "type": "http", "scheme": "bearer", "description": "The facilitator's or a participant's token." }
            },
            "schemas": {
                "Error": { "type": "object", "required": ["error"], "properties": {
                    "error": { "type": "string", "description": "What went wrong and how to fix it." },
                    "problems": { "type": "array", "items": { "$ref": "#/components/schemas/Problem" } }
                } },
                "Problem": { "type": "object", "required": ["file", "line", "column", "field", "message", "hint"], "properties": {
                    "file": { "type": "string" }, "line": { "type": "integer" }, "column": { "type": "integer" },
                    "field": { "type": "string" }, "message": { "type": "string" }, "hint": { "type": "string" }
                } },
                "Text": { "type": "object", "required": ["nl"], "properties": { "nl": { "type": "string" }, "en": { "type": "string" } } },
                "Werkvorm": { "type": "string", "enum": draaiboeken::werkvorm::Werkvorm::ids() },
                "Block": { "type": "object", "required": ["title", "minutes", "private", "instructions"], "properties": {
                    "letter": { "type": "string", "examples": ["A", "C.2"] },
                    "title": { "$ref": "#/components/schemas/Text" },
                    "minutes": { "type": "integer", "minimum": 1 },
                    "assumed_minutes": { "type": "boolean", "description": "The source did not give this length." },
                    "werkvorm": { "$ref": "#/components/schemas/Werkvorm" },
                    "groups": { "type": "object", "properties": { "min": { "type": ["integer", "null"] }, "max": { "type": ["integer", "null"] }, "mix_roles": { "type": "boolean", "description": "Groups should mix the roles" } } },
                    "private": { "type": "boolean" },
                    "prompt": { "$ref": "#/components/schemas/Text" },
                    "instructions": { "type": "object", "properties": {
                        "facilitator": { "$ref": "#/components/schemas/Text" },
                        "participants": { "$ref": "#/components/schemas/Text" } } },
                    "blocks": { "type": "array", "items": { "$ref": "#/components/schemas/Block" } }
                } },
                "Draaiboek": { "type": "object", "required": ["id", "title", "doelgroep", "doel", "voorbereiding", "roles", "blocks", "total_minutes", "builtin"], "properties": {
                    "id": { "type": "string" },
                    "title": { "$ref": "#/components/schemas/Text" },
                    "doelgroep": { "$ref": "#/components/schemas/Text" },
                    "doel": { "$ref": "#/components/schemas/Text" },
                    "voorbereiding": { "$ref": "#/components/schemas/Text" },
                    "roles": { "type": "array", "items": { "type": "object", "required": ["id", "name", "colour"], "properties": {
                        "id": { "type": "string" }, "name": { "$ref": "#/components/schemas/Text" }, "colour": { "type": "string" } } } },
                    "blocks": { "type": "array", "items": { "$ref": "#/components/schemas/Block" } },
                    "total_minutes": { "type": "integer" },
                    "builtin": { "type": "boolean" }
                } },
                "Created": { "type": "object", "required": ["id", "code", "facilitator_token", "facilitator_url", "join_url"], "properties": {
                    "id": { "type": "string" },
                    "code": { "type": "string", "description": "Six characters without look-alikes; case, spaces and dashes are ignored when joining." },
                    "facilitator_token": { "type": "string", "description": "Secret: whoever holds it steers the session." },
                    "facilitator_url": { "type": "string" },
                    "join_url": { "type": "string" }
                } },
                "Joined": { "type": "object", "required": ["session_id", "member_id", "token"], "properties": {
                    "session_id": { "type": "string" }, "member_id": { "type": "string" }, "token": { "type": "string" } } },
                "Command": { "type": "object", "required": ["action"], "properties": {
                    "action": { "type": "string", "enum": ["start", "pause", "resume", "extend", "next", "back"] },
                    "minutes": { "type": "integer", "minimum": 1, "maximum": 60, "description": "With `extend`." } } },
                "Control": { "type": "object", "description": "The facilitator's decisions beside the agenda", "properties": {
                    "revealed": { "type": "array", "items": { "type": "integer" }, "description": "Steps whose private notes are revealed" },
                    "locked": { "type": "array", "items": { "type": "integer" }, "description": "Steps whose boards participants can't change" },
                    "show_code": { "type": "boolean" },
                    "focus_group": { "type": ["integer", "null"] },
                    "groups": { "type": "object", "additionalProperties": { "type": "integer" }, "description": "Member id to group number (from 1)" },
                    "anonymous": { "type": "boolean", "description": "Authors are left out of every export" },
                    "pairs": { "type": "object", "additionalProperties": { "type": "integer" }, "description": "Member id to 1-op-1 pair number (from 1)" },
                    "pair_names": { "type": "object", "additionalProperties": { "type": "string" }, "description": "Pair number to the neighbourhood project it talks about" },
                    "plenary": { "type": ["object", "null"], "description": "The group that has the floor in a plenary round: step, group, since (server ms)" } } },
                "ControlCommand": { "oneOf": [
                    { "type": "object", "required": ["action", "step"], "properties": { "action": { "const": "reveal" }, "step": { "type": "integer" } } },
                    { "type": "object", "required": ["action", "step", "locked"], "properties": { "action": { "const": "lock" }, "step": { "type": "integer" }, "locked": { "type": "boolean" } } },
                    { "type": "object", "required": ["action", "show"], "properties": { "action": { "const": "show_code" }, "show": { "type": "boolean" } } },
                    { "type": "object", "required": ["action", "group"], "properties": { "action": { "const": "focus_group" }, "group": { "type": ["integer", "null"] } } },
                    { "type": "object", "required": ["action"], "properties": { "action": { "const": "spread_groups" }, "count": { "type": ["integer", "null"], "minimum": 1, "maximum": 50 } } },
                    { "type": "object", "required": ["action", "member", "group"], "properties": { "action": { "const": "assign_group" }, "member": { "type": "string" }, "group": { "type": ["integer", "null"], "minimum": 1, "maximum": 50 } } },
                    { "type": "object", "required": ["action", "anonymous"], "properties": { "action": { "const": "set_anonymous" }, "anonymous": { "type": "boolean" } } },
                    { "type": "object", "required": ["action"], "properties": { "action": { "const": "make_pairs" } }, "description": "1-op-1 pairs: each civil servant with someone who isn't one" },
                    { "type": "object", "required": ["action", "member", "pair"], "properties": { "action": { "const": "assign_pair" }, "member": { "type": "string" }, "pair": { "type": ["integer", "null"], "minimum": 1, "maximum": 50 } } },
                    { "type": "object", "required": ["action", "pair", "name"], "properties": { "action": { "const": "name_pair" }, "pair": { "type": "integer", "minimum": 1, "maximum": 50 }, "name": { "type": "string", "maxLength": 80 } } },
                    { "type": "object", "required": ["action", "group"], "properties": { "action": { "const": "plenary" }, "group": { "type": ["integer", "null"], "minimum": 1, "maximum": 50 } }, "description": "Gives a group the floor in the running plenary block (its speaking time starts now), or ends the round" }
                ] },
                "Session": { "type": "object", "required": ["id", "code", "draaiboek", "steps", "agenda", "server_time_ms", "members", "control", "you", "rooms"], "properties": {
                    "id": { "type": "string" }, "code": { "type": "string" },
                    "draaiboek": { "type": "object" },
                    "steps": { "type": "array", "items": { "type": "object" }, "description": "Blocks as run: sub-blocks replace their parent." },
                    "agenda": { "type": "object", "properties": {
                        "current": { "type": ["integer", "null"] }, "ended": { "type": "boolean" }, "running": { "type": "boolean" },
                        "remaining_ms": { "type": ["integer", "null"], "description": "Negative when the block overruns." },
                        "overrun": { "type": "boolean" },
                        "expected_end_ms": { "type": ["integer", "null"] },
                        "steps": { "type": "array", "items": { "type": "object", "properties": {
                            "planned_ms": { "type": "integer" }, "actual_ms": { "type": ["integer", "null"] } } } } } },
                    "server_time_ms": { "type": "integer", "description": "Server clock; derive your clock offset from it or from /api/time." },
                    "members": { "type": "array", "items": { "type": "object" } },
                    "you": { "type": "object" },
                    "control": { "$ref": "#/components/schemas/Control" },
                    "rooms": { "type": "object", "properties": { "agenda": { "type": "string" } } }
                } }
            }
        },
        "paths": {
            "/api/draaiboeken": {
                "get": { "summary": "The draaiboeken a session can run", "responses": {
                    "200": { "description": "Built-in and uploaded draaiboeken", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Draaiboek" } } } } } } },
                "post": { "summary": "Upload your own draaiboek (TOML)", "requestBody": { "required": true, "content": { "text/plain": { "schema": { "type": "string" } } } },
                    "responses": { "201": json_response("Valid and saved", "Draaiboek"),
                        "409": error_response("Its id is a built-in draaiboek's"),
                        "413": error_response("Over 256 KiB"),
                        "422": error_response("Invalid: `problems` lists each with line, column, field and hint") } }
            },
            "/api/draaiboeken/{id}": { "get": { "summary": "One draaiboek",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }],
                "responses": { "200": json_response("The draaiboek", "Draaiboek"), "404": error_response("No such draaiboek") } } },
            "/api/sessions": { "post": { "summary": "Start a session from a draaiboek",
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["draaiboek"], "properties": { "draaiboek": { "type": "string" } } } } } },
                "responses": { "201": json_response("Created", "Created"), "400": error_response("Malformed body"), "404": error_response("No such draaiboek") } },
                "get": { "summary": "Every session, newest first (organisers, with the secret the server was started with)", "security": bearer,
                    "responses": { "200": { "description": "Sessions", "content": { "application/json": { "schema": { "type": "array", "items": { "type": "object",
                        "required": ["id", "code", "draaiboek", "title", "created_at", "members"], "properties": {
                        "id": { "type": "string" }, "code": { "type": "string" }, "draaiboek": { "type": "string" }, "title": { "$ref": "#/components/schemas/Text" },
                        "created_at": { "type": "integer" }, "started_at": { "type": ["integer", "null"] }, "ended_at": { "type": ["integer", "null"] },
                        "members": { "type": "integer" } } } } } } },
                        "401": error_response("No token"), "403": error_response("Not the organisers' secret, or the server has none") } } },
            "/api/sessions/{code}/join": { "post": { "summary": "Join a session by its code",
                "parameters": [{ "name": "code", "in": "path", "required": true, "schema": { "type": "string" } }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["name", "role"], "properties": { "name": { "type": "string", "maxLength": 40 }, "role": { "type": "string", "description": "One of the draaiboek's role ids" } } } } } },
                "responses": { "201": json_response("Joined", "Joined"), "400": error_response("Malformed body"), "404": error_response("No session with this code"), "422": error_response("Bad name or role"), "429": error_response("Too many wrong codes from this address (100 per 10 minutes); see Retry-After") } } },
            "/api/join/{code}": { "get": { "summary": "A session's title and roles, to join it",
                "parameters": [{ "name": "code", "in": "path", "required": true, "schema": { "type": "string" } }],
                "responses": { "200": { "description": "Title and roles", "content": { "application/json": { "schema": { "type": "object", "required": ["code", "title", "roles"] } } } },
                    "404": error_response("No session with this code"),
                    "429": error_response("Too many wrong codes from this address (100 per 10 minutes); see Retry-After") } } },
            "/api/sessions/{id}": { "get": { "summary": "A session as its member sees it", "security": bearer,
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }],
                "responses": { "200": json_response("The session", "Session"), "401": error_response("No or unknown token"), "403": error_response("Token of another session") } } },
            "/api/sessions/{id}/agenda": { "post": { "summary": "Steer the agenda (facilitator only)", "security": bearer,
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Command" } } } },
                "responses": { "200": json_response("The session after the command", "Session"), "400": error_response("Malformed command"),
                    "401": error_response("No or unknown token"), "403": error_response("Not the facilitator"), "409": error_response("Not possible now, e.g. pause while paused") } } },
            "/api/sessions/{id}/control": { "post": { "summary": "Reveal, lock, steer the projector, make groups (facilitator only)", "security": bearer,
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ControlCommand" } } } },
                "responses": { "200": json_response("The session after the command", "Session"), "400": error_response("Malformed command"),
                    "401": error_response("No or unknown token"), "403": error_response("Not the facilitator"),
                    "409": error_response("Not possible now, e.g. reveal a block that has not started") } } },
            "/api/sessions/{id}/written": { "get": { "summary": "Who has written in the current private block, before the reveal (facilitator only)", "security": bearer,
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }],
                "responses": { "200": { "description": "Notes per member id; empty when the current block is not private or already revealed",
                    "content": { "application/json": { "schema": { "type": "object", "required": ["step", "written"], "properties": {
                        "step": { "type": ["integer", "null"] }, "written": { "type": "object", "additionalProperties": { "type": "integer" } } } } } } },
                    "401": error_response("No or unknown token"), "403": error_response("Not the facilitator") } } },
            "/api/sessions/{id}/rotate": { "post": { "summary": "A new facilitator link: the old token stops working at once, and screens that used it are disconnected (facilitator only)", "security": bearer,
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }],
                "responses": { "200": { "description": "The new token and console link; keep them secret",
                    "content": { "application/json": { "schema": { "type": "object", "required": ["facilitator_token", "facilitator_url"], "properties": {
                        "facilitator_token": { "type": "string" }, "facilitator_url": { "type": "string" } } } } } },
                    "401": error_response("No or unknown token"), "403": error_response("Not the facilitator") } } },
            "/api/sessions/{id}/export/{file}": { "get": { "summary": "Download what the session produced (facilitator, or organisers with their secret)", "security": bearer,
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } },
                    { "name": "file", "in": "path", "required": true, "schema": { "type": "string", "examples": ["report.html", "report.md", "report.odt", "notes.csv", "session.json", "board-5.svg", "board-3-2.svg", "board-5.png"] },
                      "description": "report.html (prints well to PDF, with the boards' pictures), report.md, report.odt (LibreOffice, Word), notes.csv (one row per post-it; UTF-8 with BOM, `;`), session.json (schema werkmuur.session/1), board-{step}[-{group}].svg or .png" },
                    { "name": "lang", "in": "query", "required": false, "schema": { "type": "string", "enum": ["nl", "en"] } }],
                "responses": { "200": { "description": "The file, as an attachment" }, "400": error_response("Unknown language"),
                    "401": error_response("No or unknown token"), "403": error_response("Neither the facilitator nor an organiser"),
                    "404": error_response("No such session, file or board") } } },
            "/api/join-address": { "get": { "summary": "The address phones use to join (for the join link and QR code)",
                "responses": { "200": { "description": "Never localhost; `reachable` is false (with a `hint`) when phones can't reach it",
                    "content": { "application/json": { "schema": { "type": "object", "required": ["base_url", "reachable"], "properties": {
                        "base_url": { "type": "string" }, "reachable": { "type": "boolean" },
                        "problem": { "type": "string", "enum": ["loopback", "no-network"] }, "hint": { "type": "string" } } } } } } } } },
            "/api/time": { "get": { "summary": "The server's clock", "responses": { "200": { "description": "Milliseconds since the Unix epoch",
                "content": { "application/json": { "schema": { "type": "object", "required": ["now_ms"], "properties": { "now_ms": { "type": "integer" } } } } } } } } },
            "/api/openapi.json": { "get": { "summary": "This document", "responses": { "200": { "description": "OpenAPI 3.1" } } } }
        }
    })
}
