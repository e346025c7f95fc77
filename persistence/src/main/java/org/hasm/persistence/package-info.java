/**
 * The six memory segments as event-sourced, hash-chained logs with separate journals (DESIGN section 6).
 * Not built yet: the persistence issue brings it.
 */
package org.hasm.persistence;
