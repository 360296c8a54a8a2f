/**
 * Response bodies of the api, as OpenAPI 3.0 schemas with an example each
 * (examples are real answers of a test run, trimmed). test/openapi.e2e-spec.ts
 * checks every real answer against them, so a changed response shape fails
 * there until it is changed here too.
 */
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

export const RESPONSE_SCHEMAS: Record<string, SchemaObject> = {
  "TenantCreated": {
    "type": "object",
    "properties": {
      "tenantId": {
        "type": "string",
        "format": "uuid"
      },
      "apiKey": {
        "type": "string"
      },
      "opsApiKey": {
        "type": "string"
      },
      "policyVersion": {
        "type": "integer"
      },
      "policy": {
        "type": "object",
        "properties": {
          "claimWindowDays": {
            "type": "integer"
          },
          "refundTiming": {
            "type": "string"
          },
          "defaultResolution": {
            "type": "object",
            "properties": {}
          },
          "lateGoodwill": {
            "type": "object",
            "properties": {
              "kind": {
                "type": "string"
              }
            },
            "required": [
              "kind"
            ]
          },
          "lateCancelThresholdDays": {
            "type": "integer"
          },
          "lostAfterSilentDays": {
            "type": "integer"
          },
          "autoApproveBelowMinor": {
            "type": "integer"
          },
          "returnShippingPayer": {
            "type": "string"
          },
          "feedbackAfterDays": {
            "type": "integer"
          }
        },
        "required": [
          "claimWindowDays",
          "refundTiming",
          "defaultResolution",
          "lateGoodwill",
          "lateCancelThresholdDays",
          "lostAfterSilentDays",
          "autoApproveBelowMinor",
          "returnShippingPayer",
          "feedbackAfterDays"
        ]
      }
    },
    "required": [
      "tenantId",
      "apiKey",
      "opsApiKey",
      "policyVersion",
      "policy"
    ],
    "example": {
      "tenantId": "8a39ec93-dbcd-4ace-924c-d4f4cf3dd703",
      "apiKey": "rk_970294979cdc_AWPd5iC1fYLwt5y0gR7jj4Fa4F81xAzD9OuTo8NZ7cg",
      "opsApiKey": "ops_d9e89b6cf3f5_RriuefZmhWu8CAJ3FG_X2FECrxNZDxmZdYN4sgh_5Cc",
      "policyVersion": 1,
      "policy": {
        "claimWindowDays": 30,
        "refundTiming": "ON_SUPPLIER_APPROVAL",
        "defaultResolution": {},
        "lateGoodwill": {
          "kind": "NONE"
        },
        "lateCancelThresholdDays": 10,
        "lostAfterSilentDays": 5,
        "autoApproveBelowMinor": 0,
        "returnShippingPayer": "CUSTOMER",
        "feedbackAfterDays": 3
      }
    }
  },
  "TenantPolicyVersion": {
    "type": "object",
    "properties": {
      "version": {
        "type": "integer"
      },
      "policy": {
        "type": "object",
        "properties": {
          "claimWindowDays": {
            "type": "integer"
          },
          "refundTiming": {
            "type": "string"
          },
          "defaultResolution": {
            "type": "object",
            "properties": {}
          },
          "lateGoodwill": {
            "type": "object",
            "properties": {
              "kind": {
                "type": "string"
              }
            },
            "required": [
              "kind"
            ]
          },
          "lateCancelThresholdDays": {
            "type": "integer"
          },
          "lostAfterSilentDays": {
            "type": "integer"
          },
          "autoApproveBelowMinor": {
            "type": "integer"
          },
          "returnShippingPayer": {
            "type": "string"
          },
          "feedbackAfterDays": {
            "type": "integer"
          }
        },
        "required": [
          "claimWindowDays",
          "refundTiming",
          "defaultResolution",
          "lateGoodwill",
          "lateCancelThresholdDays",
          "lostAfterSilentDays",
          "autoApproveBelowMinor",
          "returnShippingPayer",
          "feedbackAfterDays"
        ]
      }
    },
    "required": [
      "version",
      "policy"
    ],
    "example": {
      "version": 1,
      "policy": {
        "claimWindowDays": 30,
        "refundTiming": "ON_SUPPLIER_APPROVAL",
        "defaultResolution": {},
        "lateGoodwill": {
          "kind": "NONE"
        },
        "lateCancelThresholdDays": 10,
        "lostAfterSilentDays": 5,
        "autoApproveBelowMinor": 0,
        "returnShippingPayer": "CUSTOMER",
        "feedbackAfterDays": 3
      }
    }
  },
  "TenantPolicyUpdated": {
    "type": "object",
    "properties": {
      "version": {
        "type": "integer"
      },
      "policy": {
        "type": "object",
        "properties": {
          "claimWindowDays": {
            "type": "integer"
          },
          "refundTiming": {
            "type": "string"
          },
          "defaultResolution": {
            "type": "object",
            "properties": {}
          },
          "lateGoodwill": {
            "type": "object",
            "properties": {
              "kind": {
                "type": "string"
              }
            },
            "required": [
              "kind"
            ]
          },
          "lateCancelThresholdDays": {
            "type": "integer"
          },
          "lostAfterSilentDays": {
            "type": "integer"
          },
          "autoApproveBelowMinor": {
            "type": "integer"
          },
          "returnShippingPayer": {
            "type": "string"
          },
          "feedbackAfterDays": {
            "type": "integer"
          }
        },
        "required": [
          "claimWindowDays",
          "refundTiming",
          "defaultResolution",
          "lateGoodwill",
          "lateCancelThresholdDays",
          "lostAfterSilentDays",
          "autoApproveBelowMinor",
          "returnShippingPayer",
          "feedbackAfterDays"
        ]
      },
      "alignment": {
        "type": "array",
        "items": {
          "$ref": "#/components/schemas/SupplierAlignment"
        }
      }
    },
    "required": [
      "version",
      "policy",
      "alignment"
    ],
    "example": {
      "version": 2,
      "policy": {
        "claimWindowDays": 45,
        "refundTiming": "ON_SUPPLIER_APPROVAL",
        "defaultResolution": {},
        "lateGoodwill": {
          "kind": "NONE"
        },
        "lateCancelThresholdDays": 10,
        "lostAfterSilentDays": 5,
        "autoApproveBelowMinor": 0,
        "returnShippingPayer": "CUSTOMER",
        "feedbackAfterDays": 3
      },
      "alignment": [
        {
          "supplierId": "34e0ebcf-69b0-4c41-904e-a04c99453809",
          "supplierName": "Shenzhen Goods",
          "supplierPolicyVersion": 2,
          "tenantPolicyVersion": 2,
          "gaps": [
            {
              "code": "WINDOW",
              "message": "tenant promises 45 days, supplier accepts 30"
            }
          ]
        }
      ]
    }
  },
  "TenantAlignment": {
    "type": "array",
    "items": {
      "$ref": "#/components/schemas/SupplierAlignment"
    },
    "example": [
      {
        "supplierId": "34e0ebcf-69b0-4c41-904e-a04c99453809",
        "supplierName": "Shenzhen Goods",
        "supplierPolicyVersion": 2,
        "tenantPolicyVersion": 2,
        "gaps": [
          {
            "code": "WINDOW",
            "message": "tenant promises 45 days, supplier accepts 30"
          }
        ]
      }
    ]
  },
  "SupplierLinked": {
    "type": "object",
    "properties": {
      "id": {
        "type": "string",
        "format": "uuid"
      },
      "name": {
        "type": "string"
      },
      "webhookUrl": {
        "type": "string"
      },
      "signingSecret": {
        "type": "string"
      },
      "callbackApiKey": {
        "type": "string"
      },
      "policyVersion": {
        "type": "integer"
      },
      "gaps": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "code": {
              "type": "string"
            },
            "message": {
              "type": "string"
            },
            "eventTypes": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          "required": [
            "code",
            "message"
          ]
        }
      }
    },
    "required": [
      "id",
      "name",
      "webhookUrl",
      "signingSecret",
      "callbackApiKey",
      "policyVersion",
      "gaps"
    ],
    "example": {
      "id": "34e0ebcf-69b0-4c41-904e-a04c99453809",
      "name": "Shenzhen Goods",
      "webhookUrl": "http://127.0.0.1:34339/webhooks",
      "signingSecret": "whsec_GkAGn/nKuiRrGbOiBAkM0AI65ajX3O30AuRF8FU40Js=",
      "callbackApiKey": "sk_87b46a695768_O5eMDP6-NBlgYA4J_Dlaif4mCzhaydMP0UN7F7nEbZ8",
      "policyVersion": 1,
      "gaps": [
        {
          "code": "WINDOW",
          "message": "tenant promises 45 days, supplier accepts 30"
        },
        {
          "code": "EVIDENCE",
          "eventTypes": [
            "DAMAGED"
          ],
          "message": "supplier needs evidence for DAMAGED; claims without it are not recoverable"
        }
      ]
    }
  },
  "SupplierView": {
    "type": "object",
    "properties": {
      "id": {
        "type": "string",
        "format": "uuid"
      },
      "name": {
        "type": "string"
      },
      "webhookUrl": {
        "type": "string"
      },
      "policyVersion": {
        "type": "integer"
      },
      "policy": {
        "type": "object",
        "properties": {
          "slaHours": {
            "type": "integer"
          },
          "creditMethod": {
            "type": "string"
          },
          "acceptsReturns": {
            "type": "boolean"
          },
          "returnWindowDays": {
            "type": "integer"
          },
          "returnRequiredFor": {
            "type": "array",
            "items": {
              "type": "string",
              "enum": [
                "DAMAGED",
                "WRONG_ITEM",
                "LOST",
                "QUALITY_ISSUE",
                "LATE_DELIVERY"
              ]
            }
          },
          "evidenceRequiredFor": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "restockingFeePercent": {
            "type": "integer"
          },
          "paysReturnShippingFor": {
            "type": "array",
            "items": {
              "type": "string",
              "enum": [
                "DAMAGED",
                "WRONG_ITEM",
                "LOST",
                "QUALITY_ISSUE",
                "LATE_DELIVERY"
              ]
            }
          }
        },
        "required": [
          "slaHours",
          "creditMethod",
          "acceptsReturns",
          "returnWindowDays",
          "returnRequiredFor",
          "evidenceRequiredFor",
          "restockingFeePercent",
          "paysReturnShippingFor"
        ]
      },
      "gaps": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "code": {
              "type": "string"
            },
            "message": {
              "type": "string"
            },
            "eventTypes": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          "required": [
            "code",
            "message"
          ]
        }
      }
    },
    "required": [
      "id",
      "name",
      "webhookUrl",
      "policyVersion",
      "policy",
      "gaps"
    ],
    "example": {
      "id": "34e0ebcf-69b0-4c41-904e-a04c99453809",
      "name": "Shenzhen Goods",
      "webhookUrl": "http://127.0.0.1:34339/webhooks",
      "policyVersion": 1,
      "policy": {
        "slaHours": 48,
        "creditMethod": "REFUND",
        "acceptsReturns": true,
        "returnWindowDays": 30,
        "returnRequiredFor": [],
        "evidenceRequiredFor": [
          "DAMAGED"
        ],
        "restockingFeePercent": 0,
        "paysReturnShippingFor": []
      },
      "gaps": [
        {
          "code": "WINDOW",
          "message": "tenant promises 45 days, supplier accepts 30"
        },
        {
          "code": "EVIDENCE",
          "eventTypes": [
            "DAMAGED"
          ],
          "message": "supplier needs evidence for DAMAGED; claims without it are not recoverable"
        }
      ]
    }
  },
  "SupplierWebhookUpdated": {
    "type": "object",
    "properties": {
      "id": {
        "type": "string",
        "format": "uuid"
      },
      "webhookUrl": {
        "type": "string"
      }
    },
    "required": [
      "id",
      "webhookUrl"
    ],
    "example": {
      "id": "34e0ebcf-69b0-4c41-904e-a04c99453809",
      "webhookUrl": "http://127.0.0.1:34339/webhooks"
    }
  },
  "SupplierPolicyUpdated": {
    "type": "object",
    "properties": {
      "id": {
        "type": "string",
        "format": "uuid"
      },
      "policyVersion": {
        "type": "integer"
      },
      "policy": {
        "type": "object",
        "properties": {
          "returnWindowDays": {
            "type": "integer"
          },
          "acceptsReturns": {
            "type": "boolean"
          },
          "evidenceRequiredFor": {
            "type": "array",
            "items": {
              "type": "string",
              "enum": [
                "DAMAGED",
                "WRONG_ITEM",
                "LOST",
                "QUALITY_ISSUE",
                "LATE_DELIVERY"
              ]
            }
          },
          "returnRequiredFor": {
            "type": "array",
            "items": {
              "type": "string",
              "enum": [
                "DAMAGED",
                "WRONG_ITEM",
                "LOST",
                "QUALITY_ISSUE",
                "LATE_DELIVERY"
              ]
            }
          },
          "restockingFeePercent": {
            "type": "integer"
          },
          "paysReturnShippingFor": {
            "type": "array",
            "items": {
              "type": "string",
              "enum": [
                "DAMAGED",
                "WRONG_ITEM",
                "LOST",
                "QUALITY_ISSUE",
                "LATE_DELIVERY"
              ]
            }
          },
          "creditMethod": {
            "type": "string"
          },
          "slaHours": {
            "type": "integer"
          }
        },
        "required": [
          "returnWindowDays",
          "acceptsReturns",
          "evidenceRequiredFor",
          "returnRequiredFor",
          "restockingFeePercent",
          "paysReturnShippingFor",
          "creditMethod",
          "slaHours"
        ]
      },
      "gaps": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "code": {
              "type": "string"
            },
            "message": {
              "type": "string"
            }
          },
          "required": [
            "code",
            "message"
          ]
        }
      }
    },
    "required": [
      "id",
      "policyVersion",
      "policy",
      "gaps"
    ],
    "example": {
      "id": "34e0ebcf-69b0-4c41-904e-a04c99453809",
      "policyVersion": 2,
      "policy": {
        "returnWindowDays": 30,
        "acceptsReturns": true,
        "evidenceRequiredFor": [],
        "returnRequiredFor": [],
        "restockingFeePercent": 0,
        "paysReturnShippingFor": [],
        "creditMethod": "REFUND",
        "slaHours": 24
      },
      "gaps": [
        {
          "code": "WINDOW",
          "message": "tenant promises 45 days, supplier accepts 30"
        }
      ]
    }
  },
  "SupplierAlignment": {
    "type": "object",
    "properties": {
      "supplierId": {
        "type": "string",
        "format": "uuid"
      },
      "supplierName": {
        "type": "string"
      },
      "supplierPolicyVersion": {
        "type": "integer"
      },
      "tenantPolicyVersion": {
        "type": "integer"
      },
      "gaps": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "code": {
              "type": "string"
            },
            "message": {
              "type": "string"
            }
          },
          "required": [
            "code",
            "message"
          ]
        }
      }
    },
    "required": [
      "supplierId",
      "supplierName",
      "supplierPolicyVersion",
      "tenantPolicyVersion",
      "gaps"
    ],
    "example": {
      "supplierId": "34e0ebcf-69b0-4c41-904e-a04c99453809",
      "supplierName": "Shenzhen Goods",
      "supplierPolicyVersion": 2,
      "tenantPolicyVersion": 2,
      "gaps": [
        {
          "code": "WINDOW",
          "message": "tenant promises 45 days, supplier accepts 30"
        }
      ]
    }
  },
  "SupplierEndpoint": {
    "type": "object",
    "properties": {
      "supplierId": {
        "type": "string",
        "format": "uuid"
      },
      "webhookUrl": {
        "type": "string"
      },
      "status": {
        "type": "string"
      },
      "failingSince": {
        "type": "string",
        "format": "date-time",
        "nullable": true
      },
      "lastSuccessAt": {
        "type": "string",
        "format": "date-time",
        "nullable": true
      },
      "lastFailureAt": {
        "type": "string",
        "format": "date-time",
        "nullable": true
      },
      "disabledAt": {
        "type": "string",
        "format": "date-time",
        "nullable": true
      },
      "disabledReason": {
        "type": "string",
        "nullable": true
      },
      "deliveries": {
        "type": "object",
        "properties": {
          "pending": {
            "type": "integer"
          },
          "failed": {
            "type": "integer"
          },
          "delivered": {
            "type": "integer"
          }
        },
        "required": [
          "pending",
          "failed",
          "delivered"
        ]
      },
      "events": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "kind": {
              "type": "string"
            },
            "reason": {
              "type": "string",
              "nullable": true
            },
            "actor": {
              "type": "string",
              "nullable": true
            },
            "at": {
              "type": "string",
              "format": "date-time"
            }
          },
          "required": [
            "kind",
            "reason",
            "actor",
            "at"
          ]
        }
      }
    },
    "required": [
      "supplierId",
      "webhookUrl",
      "status",
      "failingSince",
      "lastSuccessAt",
      "lastFailureAt",
      "disabledAt",
      "disabledReason",
      "deliveries",
      "events"
    ],
    "example": {
      "supplierId": "34e0ebcf-69b0-4c41-904e-a04c99453809",
      "webhookUrl": "http://127.0.0.1:34339/webhooks",
      "status": "ACTIVE",
      "failingSince": null,
      "lastSuccessAt": null,
      "lastFailureAt": null,
      "disabledAt": null,
      "disabledReason": null,
      "deliveries": {
        "pending": 0,
        "failed": 0,
        "delivered": 0
      },
      "events": []
    }
  },
  "EndpointEnabled": {
    "type": "object",
    "properties": {
      "accepted": {
        "type": "boolean"
      }
    },
    "required": [
      "accepted"
    ],
    "example": {
      "accepted": true
    }
  },
  "OrderView": {
    "type": "object",
    "properties": {
      "id": {
        "type": "string",
        "format": "uuid"
      },
      "externalId": {
        "type": "string"
      },
      "orderNumber": {
        "type": "string",
        "nullable": true
      },
      "currency": {
        "type": "string"
      },
      "locale": {
        "type": "string"
      },
      "customer": {
        "type": "object",
        "properties": {
          "email": {
            "type": "string"
          },
          "name": {
            "type": "string",
            "nullable": true
          }
        },
        "required": [
          "email",
          "name"
        ]
      },
      "shippingMinor": {
        "type": "integer"
      },
      "taxMinor": {
        "type": "integer"
      },
      "totalPaidMinor": {
        "type": "integer"
      },
      "orderedAt": {
        "type": "string",
        "format": "date-time"
      },
      "promisedAt": {
        "type": "string",
        "format": "date-time",
        "nullable": true
      },
      "deliveredAt": {
        "type": "string",
        "format": "date-time",
        "nullable": true
      },
      "lines": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "id": {
              "type": "string",
              "format": "uuid"
            },
            "externalId": {
              "type": "string"
            },
            "sku": {
              "type": "string"
            },
            "title": {
              "type": "string"
            },
            "quantity": {
              "type": "integer"
            },
            "unitPriceMinor": {
              "type": "integer"
            },
            "supplierId": {
              "type": "string",
              "format": "uuid"
            }
          },
          "required": [
            "id",
            "externalId",
            "sku",
            "title",
            "quantity",
            "unitPriceMinor",
            "supplierId"
          ]
        }
      }
    },
    "required": [
      "id",
      "externalId",
      "orderNumber",
      "currency",
      "locale",
      "customer",
      "shippingMinor",
      "taxMinor",
      "totalPaidMinor",
      "orderedAt",
      "promisedAt",
      "deliveredAt",
      "lines"
    ],
    "example": {
      "id": "357b77a2-26be-4a7f-a5ec-30efbe433cc3",
      "externalId": "gid://shopify/Order/1001",
      "orderNumber": null,
      "currency": "EUR",
      "locale": "en",
      "customer": {
        "email": "customer1001@example.test",
        "name": "Sam"
      },
      "shippingMinor": 495,
      "taxMinor": 0,
      "totalPaidMinor": 4493,
      "orderedAt": "2026-11-17T17:08:03.155Z",
      "promisedAt": null,
      "deliveredAt": "2026-12-05T17:08:03.155Z",
      "lines": [
        {
          "id": "2796445e-5ee3-44a4-b15d-4f1dd7b72670",
          "externalId": "gid://shopify/LineItem/10010",
          "sku": "SKU-0",
          "title": "Ceramic vase",
          "quantity": 2,
          "unitPriceMinor": 1999,
          "supplierId": "34e0ebcf-69b0-4c41-904e-a04c99453809"
        }
      ]
    }
  },
  "ReturnAccepted": {
    "type": "object",
    "properties": {
      "returnId": {
        "type": "string",
        "format": "uuid"
      },
      "notRecoverable": {
        "type": "array",
        "items": {
          "type": "string"
        }
      },
      "replayed": {
        "type": "boolean"
      }
    },
    "required": [
      "returnId",
      "notRecoverable",
      "replayed"
    ],
    "example": {
      "returnId": "448fcaee-1ff9-4ce6-82c2-4988404714c6",
      "notRecoverable": [],
      "replayed": false
    }
  },
  "ReturnView": {
    "type": "object",
    "properties": {
      "returnId": {
        "type": "string",
        "format": "uuid"
      },
      "orderId": {
        "type": "string",
        "format": "uuid"
      },
      "eventType": {
        "type": "string",
        "enum": [
          "DAMAGED",
          "WRONG_ITEM",
          "LOST",
          "QUALITY_ISSUE",
          "LATE_DELIVERY"
        ]
      },
      "reason": {
        "type": "string",
        "nullable": true
      },
      "resolution": {
        "type": "string",
        "nullable": true
      },
      "notRecoverable": {
        "type": "string",
        "nullable": true
      },
      "reportedAt": {
        "type": "string",
        "format": "date-time"
      },
      "state": {
        "type": "string"
      },
      "saga": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string",
            "format": "uuid"
          },
          "state": {
            "type": "string"
          },
          "definitionVersion": {
            "type": "integer"
          },
          "tenantPolicyVersion": {
            "type": "integer"
          },
          "supplierPolicyVersion": {
            "type": "integer"
          },
          "startedAt": {
            "type": "string",
            "format": "date-time"
          },
          "updatedAt": {
            "type": "string",
            "format": "date-time"
          },
          "closedAt": {
            "type": "string",
            "format": "date-time",
            "nullable": true
          },
          "escalation": {
            "type": "object",
            "nullable": true,
            "additionalProperties": true
          },
          "claims": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "status": {
                  "type": "string"
                },
                "reminders": {
                  "type": "integer"
                },
                "requestId": {
                  "type": "string",
                  "format": "uuid"
                },
                "claimMinor": {
                  "type": "integer"
                },
                "requestSeq": {
                  "type": "integer"
                },
                "supplierId": {
                  "type": "string",
                  "format": "uuid"
                },
                "requestKind": {
                  "type": "string"
                },
                "grantedMinor": {
                  "type": "integer"
                }
              },
              "required": [
                "supplierId",
                "status"
              ],
              "additionalProperties": true
            }
          }
        },
        "required": [
          "id",
          "state",
          "definitionVersion",
          "tenantPolicyVersion",
          "supplierPolicyVersion",
          "startedAt",
          "updatedAt",
          "closedAt",
          "escalation",
          "claims"
        ],
        "nullable": true
      },
      "timeline": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "from": {
              "type": "string"
            },
            "to": {
              "type": "string"
            },
            "cause": {
              "type": "string"
            },
            "detail": {
              "type": "object",
              "nullable": true,
              "additionalProperties": true,
              "description": "What the transition recorded (free-form)"
            },
            "at": {
              "type": "string",
              "format": "date-time"
            }
          },
          "required": [
            "from",
            "to",
            "cause",
            "detail",
            "at"
          ]
        }
      },
      "ledger": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "kind": {
              "type": "string"
            },
            "amountMinor": {
              "type": "integer"
            },
            "currency": {
              "type": "string"
            },
            "reference": {
              "type": "string",
              "format": "uuid"
            },
            "at": {
              "type": "string",
              "format": "date-time"
            }
          },
          "required": [
            "kind",
            "amountMinor",
            "currency",
            "reference",
            "at"
          ]
        }
      },
      "amounts": {
        "type": "object",
        "properties": {
          "currency": {
            "type": "string"
          },
          "shopCurrency": {
            "type": "string"
          },
          "refundedMinor": {
            "type": "integer"
          },
          "goodwillMinor": {
            "type": "integer"
          },
          "storeCreditMinor": {
            "type": "integer"
          },
          "returnShippingMinor": {
            "type": "integer"
          },
          "restockingFeeMinor": {
            "type": "integer"
          },
          "supplierCreditRequestedMinor": {
            "type": "integer"
          },
          "supplierCreditGrantedMinor": {
            "type": "integer"
          },
          "outflowMinor": {
            "type": "integer"
          },
          "recoveredMinor": {
            "type": "integer"
          },
          "netCostMinor": {
            "type": "integer"
          }
        },
        "required": [
          "currency",
          "shopCurrency",
          "refundedMinor",
          "goodwillMinor",
          "storeCreditMinor",
          "returnShippingMinor",
          "restockingFeeMinor",
          "supplierCreditRequestedMinor",
          "supplierCreditGrantedMinor",
          "outflowMinor",
          "recoveredMinor",
          "netCostMinor"
        ],
        "nullable": true
      }
    },
    "required": [
      "returnId",
      "orderId",
      "eventType",
      "reason",
      "resolution",
      "notRecoverable",
      "reportedAt",
      "state",
      "saga",
      "timeline",
      "ledger",
      "amounts"
    ],
    "example": {
      "returnId": "448fcaee-1ff9-4ce6-82c2-4988404714c6",
      "orderId": "357b77a2-26be-4a7f-a5ec-30efbe433cc3",
      "eventType": "DAMAGED",
      "reason": "Arrived broken",
      "resolution": "REFUND",
      "notRecoverable": null,
      "reportedAt": "2026-12-07T17:08:03.598Z",
      "state": "COMPLETED",
      "saga": {
        "id": "3afe8ae8-aa99-54bf-bc76-abaadeae8148",
        "state": "COMPLETED",
        "definitionVersion": 1,
        "tenantPolicyVersion": 2,
        "supplierPolicyVersion": 2,
        "startedAt": "2026-12-07T17:08:03.962Z",
        "updatedAt": "2026-12-07T17:08:07.775Z",
        "closedAt": "2026-12-07T17:08:06.608Z",
        "escalation": null,
        "claims": [
          {
            "status": "APPROVED",
            "reminders": 0,
            "requestId": "9f82f43f-a0a9-551b-9e40-bd61d746bda5",
            "claimMinor": 3998,
            "requestSeq": 1,
            "supplierId": "34e0ebcf-69b0-4c41-904e-a04c99453809",
            "requestKind": "CREDIT",
            "grantedMinor": 3998
          }
        ]
      },
      "timeline": [
        {
          "from": "RECEIVED",
          "to": "AWAITING_SUPPLIER",
          "cause": "Started",
          "detail": {
            "type": "ReturnReported",
            "event": null,
            "effects": [
              "notify",
              "supplier.request"
            ]
          },
          "at": "2026-12-07T17:08:03.973Z"
        },
        {
          "from": "AWAITING_SUPPLIER",
          "to": "AWAITING_SUPPLIER",
          "cause": "ReturnInTransit (no transition: recorded)",
          "detail": {
            "type": "ReturnTracked",
            "event": {
              "trackingNumber": "3SABC"
            },
            "effects": []
          },
          "at": "2026-12-07T17:08:04.166Z"
        }
      ],
      "ledger": [
        {
          "kind": "SUPPLIER_CREDIT_REQUESTED",
          "amountMinor": 3998,
          "currency": "EUR",
          "reference": "34e0ebcf-69b0-4c41-904e-a04c99453809",
          "at": "2026-12-07T17:08:03.983Z"
        },
        {
          "kind": "SUPPLIER_CREDIT_GRANTED",
          "amountMinor": 3998,
          "currency": "EUR",
          "reference": "9f82f43f-a0a9-551b-9e40-bd61d746bda5",
          "at": "2026-12-07T17:08:05.965Z"
        }
      ],
      "amounts": {
        "currency": "EUR",
        "shopCurrency": "EUR",
        "refundedMinor": 4493,
        "goodwillMinor": 0,
        "storeCreditMinor": 0,
        "returnShippingMinor": 0,
        "restockingFeeMinor": 0,
        "supplierCreditRequestedMinor": 3998,
        "supplierCreditGrantedMinor": 3998,
        "outflowMinor": 4493,
        "recoveredMinor": 3998,
        "netCostMinor": 495
      }
    }
  },
  "TrackingEventAccepted": {
    "type": "object",
    "properties": {
      "returnId": {
        "type": "string",
        "format": "uuid"
      },
      "messageId": {
        "type": "string",
        "format": "uuid"
      },
      "status": {
        "type": "string"
      },
      "at": {
        "type": "string",
        "format": "date-time"
      }
    },
    "required": [
      "returnId",
      "messageId",
      "status",
      "at"
    ],
    "example": {
      "returnId": "448fcaee-1ff9-4ce6-82c2-4988404714c6",
      "messageId": "7992d9a5-f1c3-447b-b4d7-43dcc050c6eb",
      "status": "RETURN_IN_TRANSIT",
      "at": "2026-12-07T17:08:04.043Z"
    }
  },
  "DeliveriesPage": {
    "type": "object",
    "properties": {
      "items": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "id": {
              "type": "string"
            },
            "requestId": {
              "type": "string",
              "format": "uuid"
            },
            "type": {
              "type": "string"
            },
            "status": {
              "type": "string"
            },
            "attemptCount": {
              "type": "integer"
            },
            "createdAt": {
              "type": "string",
              "format": "date-time"
            },
            "deliveredAt": {
              "type": "string",
              "format": "date-time",
              "nullable": true
            },
            "failedAt": {
              "type": "string",
              "format": "date-time",
              "nullable": true
            },
            "nextAttemptAt": {
              "type": "string",
              "format": "date-time",
              "nullable": true
            },
            "lastError": {
              "type": "string",
              "nullable": true
            }
          },
          "required": [
            "id",
            "requestId",
            "type",
            "status",
            "attemptCount",
            "createdAt",
            "deliveredAt",
            "failedAt",
            "nextAttemptAt",
            "lastError"
          ]
        }
      },
      "nextCursor": {
        "type": "string",
        "nullable": true
      }
    },
    "required": [
      "items",
      "nextCursor"
    ],
    "example": {
      "items": [
        {
          "id": "msg_9f82f43fa0a9551b9e40bd61d746bda5",
          "requestId": "9f82f43f-a0a9-551b-9e40-bd61d746bda5",
          "type": "rma.credit_requested",
          "status": "PENDING",
          "attemptCount": 0,
          "createdAt": "2026-12-07T17:08:04.160Z",
          "deliveredAt": null,
          "failedAt": null,
          "nextAttemptAt": "2026-12-07T17:08:04.175Z",
          "lastError": null
        }
      ],
      "nextCursor": null
    }
  },
  "DeliveryDetail": {
    "type": "object",
    "properties": {
      "id": {
        "type": "string"
      },
      "requestId": {
        "type": "string",
        "format": "uuid"
      },
      "type": {
        "type": "string"
      },
      "status": {
        "type": "string",
        "nullable": true
      },
      "attemptCount": {
        "type": "integer"
      },
      "createdAt": {
        "type": "string",
        "format": "date-time"
      },
      "deliveredAt": {
        "type": "string",
        "format": "date-time",
        "nullable": true
      },
      "failedAt": {
        "type": "string",
        "format": "date-time",
        "nullable": true
      },
      "nextAttemptAt": {
        "type": "string",
        "format": "date-time",
        "nullable": true
      },
      "lastError": {
        "type": "string",
        "nullable": true
      },
      "payload": {
        "type": "object",
        "properties": {
          "type": {
            "type": "string"
          },
          "timestamp": {
            "type": "string",
            "format": "date-time"
          },
          "data": {
            "type": "object",
            "properties": {
              "requestId": {
                "type": "string",
                "format": "uuid"
              },
              "supplierId": {
                "type": "string",
                "format": "uuid"
              },
              "kind": {
                "type": "string"
              },
              "eventType": {
                "type": "string",
                "enum": [
                  "DAMAGED",
                  "WRONG_ITEM",
                  "LOST",
                  "QUALITY_ISSUE",
                  "LATE_DELIVERY"
                ]
              },
              "orderId": {
                "type": "string"
              },
              "lines": {
                "type": "array",
                "items": {
                  "type": "object",
                  "properties": {
                    "sku": {
                      "type": "string"
                    },
                    "title": {
                      "type": "string"
                    },
                    "quantity": {
                      "type": "integer"
                    },
                    "unitPriceMinor": {
                      "type": "integer"
                    },
                    "lineId": {
                      "type": "string"
                    }
                  },
                  "required": [
                    "sku",
                    "title",
                    "quantity",
                    "unitPriceMinor",
                    "lineId"
                  ]
                }
              },
              "amount": {
                "type": "object",
                "properties": {
                  "amountMinor": {
                    "type": "integer"
                  },
                  "currency": {
                    "type": "string"
                  },
                  "decimal": {
                    "type": "string"
                  }
                },
                "required": [
                  "amountMinor",
                  "currency",
                  "decimal"
                ]
              },
              "evidenceUrls": {
                "type": "array",
                "items": {
                  "type": "string"
                }
              },
              "reason": {
                "type": "string",
                "nullable": true
              },
              "answerBy": {
                "type": "string",
                "format": "date-time",
                "nullable": true
              },
              "answerUrl": {
                "type": "string"
              }
            },
            "required": [
              "requestId",
              "supplierId",
              "kind",
              "eventType",
              "orderId",
              "lines",
              "amount",
              "evidenceUrls",
              "reason",
              "answerBy",
              "answerUrl"
            ]
          }
        },
        "required": [
          "type",
          "timestamp",
          "data"
        ]
      },
      "attempts": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "at": {
              "type": "string",
              "format": "date-time"
            },
            "statusCode": {
              "type": "integer"
            },
            "latencyMs": {
              "type": "integer",
              "nullable": true
            },
            "error": {
              "type": "string",
              "nullable": true
            },
            "responseExcerpt": {
              "type": "string"
            },
            "url": {
              "type": "string"
            }
          },
          "required": [
            "at",
            "statusCode",
            "latencyMs",
            "error",
            "responseExcerpt",
            "url"
          ]
        }
      }
    },
    "required": [
      "id",
      "requestId",
      "type",
      "status",
      "attemptCount",
      "createdAt",
      "deliveredAt",
      "failedAt",
      "nextAttemptAt",
      "lastError",
      "payload",
      "attempts"
    ],
    "example": {
      "id": "msg_9f82f43fa0a9551b9e40bd61d746bda5",
      "requestId": "9f82f43f-a0a9-551b-9e40-bd61d746bda5",
      "type": "rma.credit_requested",
      "status": "DELIVERED",
      "attemptCount": 1,
      "createdAt": "2026-12-07T17:08:04.160Z",
      "deliveredAt": "2026-12-07T17:08:04.247Z",
      "failedAt": null,
      "nextAttemptAt": null,
      "lastError": null,
      "payload": {
        "type": "rma.credit_requested",
        "timestamp": "2026-12-07T17:08:04.174Z",
        "data": {
          "requestId": "9f82f43f-a0a9-551b-9e40-bd61d746bda5",
          "supplierId": "34e0ebcf-69b0-4c41-904e-a04c99453809",
          "kind": "CREDIT",
          "eventType": "DAMAGED",
          "orderId": "gid://shopify/Order/1001",
          "lines": [
            {
              "sku": "SKU-0",
              "title": "Ceramic vase",
              "quantity": 2,
              "unitPriceMinor": 1999,
              "lineId": "gid://shopify/LineItem/10010"
            }
          ],
          "amount": {
            "amountMinor": 3998,
            "currency": "EUR",
            "decimal": "39.98"
          },
          "evidenceUrls": [
            "https://photos.example.test/b.jpg"
          ],
          "reason": "Arrived broken",
          "answerBy": "2026-12-08T17:08:03.983Z",
          "answerUrl": "http://127.0.0.1:43285/supplier-api/requests/9f82f43f-a0a9-551b-9e40-bd61d746bda5/answer"
        }
      },
      "attempts": [
        {
          "at": "2026-12-07T17:08:04.247Z",
          "statusCode": 200,
          "latencyMs": 174,
          "error": null,
          "responseExcerpt": "{\"ok\":true}",
          "url": "http://127.0.0.1:34339/webhooks"
        }
      ]
    }
  },
  "RedeliveryQueued": {
    "type": "object",
    "properties": {
      "accepted": {
        "type": "boolean"
      },
      "deliveryId": {
        "type": "string"
      }
    },
    "required": [
      "accepted",
      "deliveryId"
    ],
    "example": {
      "accepted": true,
      "deliveryId": "msg_9f82f43fa0a9551b9e40bd61d746bda5"
    }
  },
  "RedeliveriesQueued": {
    "type": "object",
    "properties": {
      "accepted": {
        "type": "boolean"
      },
      "failedSince": {
        "type": "string",
        "format": "date-time"
      },
      "matching": {
        "type": "integer"
      }
    },
    "required": [
      "accepted",
      "failedSince",
      "matching"
    ],
    "example": {
      "accepted": true,
      "failedSince": "2026-12-07T16:08:05.276Z",
      "matching": 0
    }
  },
  "SecretRotated": {
    "type": "object",
    "properties": {
      "id": {
        "type": "string",
        "format": "uuid"
      },
      "signingSecret": {
        "type": "string"
      },
      "previousSecretExpiresAt": {
        "type": "string",
        "format": "date-time",
        "nullable": true
      }
    },
    "required": [
      "id",
      "signingSecret",
      "previousSecretExpiresAt"
    ],
    "example": {
      "id": "34e0ebcf-69b0-4c41-904e-a04c99453809",
      "signingSecret": "whsec_VTgDgfYJuzi5CKBB0q9q07Cavq/ICiGGbUYcm5cpfaw=",
      "previousSecretExpiresAt": "2026-12-07T18:08:05.590Z"
    }
  },
  "CasePage": {
    "type": "object",
    "properties": {
      "items": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "returnId": {
              "type": "string",
              "format": "uuid"
            },
            "tenantId": {
              "type": "string",
              "format": "uuid"
            },
            "orderId": {
              "type": "string",
              "format": "uuid"
            },
            "externalOrderId": {
              "type": "string"
            },
            "eventType": {
              "type": "string",
              "enum": [
                "DAMAGED",
                "WRONG_ITEM",
                "LOST",
                "QUALITY_ISSUE",
                "LATE_DELIVERY"
              ]
            },
            "reason": {
              "type": "string",
              "nullable": true
            },
            "state": {
              "type": "string"
            },
            "sagaId": {
              "type": "string",
              "format": "uuid"
            },
            "sagaVersion": {
              "type": "integer"
            },
            "suppliers": {
              "type": "array",
              "items": {
                "type": "string"
              }
            },
            "supplierIds": {
              "type": "array",
              "items": {
                "type": "string",
                "format": "uuid"
              }
            },
            "reportedAt": {
              "type": "string",
              "format": "date-time"
            },
            "updatedAt": {
              "type": "string",
              "format": "date-time"
            },
            "closedAt": {
              "type": "string",
              "format": "date-time",
              "nullable": true
            },
            "stateSince": {
              "type": "string",
              "format": "date-time"
            },
            "expectedMs": {
              "type": "integer",
              "nullable": true
            },
            "escalation": {
              "type": "object",
              "nullable": true,
              "additionalProperties": true
            },
            "notRecoverable": {
              "type": "boolean"
            },
            "notRecoverableReason": {
              "type": "string",
              "nullable": true
            },
            "nextDeadline": {
              "type": "object",
              "properties": {
                "timer": {
                  "type": "string"
                },
                "at": {
                  "type": "string",
                  "format": "date-time"
                }
              },
              "required": [
                "timer",
                "at"
              ]
            },
            "stuck": {
              "type": "boolean"
            },
            "stuckReason": {
              "type": "string",
              "nullable": true
            }
          },
          "required": [
            "returnId",
            "tenantId",
            "orderId",
            "externalOrderId",
            "eventType",
            "reason",
            "state",
            "sagaId",
            "sagaVersion",
            "suppliers",
            "supplierIds",
            "reportedAt",
            "updatedAt",
            "closedAt",
            "stateSince",
            "expectedMs",
            "escalation",
            "notRecoverable",
            "notRecoverableReason",
            "nextDeadline",
            "stuck",
            "stuckReason"
          ]
        }
      },
      "nextCursor": {
        "type": "string",
        "nullable": true
      }
    },
    "required": [
      "items",
      "nextCursor"
    ],
    "example": {
      "items": [
        {
          "returnId": "448fcaee-1ff9-4ce6-82c2-4988404714c6",
          "tenantId": "8a39ec93-dbcd-4ace-924c-d4f4cf3dd703",
          "orderId": "357b77a2-26be-4a7f-a5ec-30efbe433cc3",
          "externalOrderId": "gid://shopify/Order/1001",
          "eventType": "DAMAGED",
          "reason": "Arrived broken",
          "state": "COMPLETED",
          "sagaId": "3afe8ae8-aa99-54bf-bc76-abaadeae8148",
          "sagaVersion": 7,
          "suppliers": [
            "Shenzhen Goods"
          ],
          "supplierIds": [
            "34e0ebcf-69b0-4c41-904e-a04c99453809"
          ],
          "reportedAt": "2026-12-07T17:08:03.598Z",
          "updatedAt": "2026-12-07T17:08:06.608Z",
          "closedAt": "2026-12-07T17:08:06.608Z",
          "stateSince": "2026-12-07T17:08:06.608Z",
          "expectedMs": null,
          "escalation": null,
          "notRecoverable": false,
          "notRecoverableReason": null,
          "nextDeadline": {
            "timer": "FEEDBACK",
            "at": "2026-12-10T17:08:06.608Z"
          },
          "stuck": false,
          "stuckReason": null
        }
      ],
      "nextCursor": null
    }
  },
  "CaseDetail": {
    "type": "object",
    "properties": {
      "returnId": {
        "type": "string",
        "format": "uuid"
      },
      "tenantId": {
        "type": "string",
        "format": "uuid"
      },
      "orderId": {
        "type": "string",
        "format": "uuid"
      },
      "externalOrderId": {
        "type": "string"
      },
      "eventType": {
        "type": "string",
        "enum": [
          "DAMAGED",
          "WRONG_ITEM",
          "LOST",
          "QUALITY_ISSUE",
          "LATE_DELIVERY"
        ]
      },
      "reason": {
        "type": "string",
        "nullable": true
      },
      "state": {
        "type": "string"
      },
      "sagaId": {
        "type": "string",
        "format": "uuid"
      },
      "sagaVersion": {
        "type": "integer"
      },
      "suppliers": {
        "type": "array",
        "items": {
          "type": "string"
        }
      },
      "supplierIds": {
        "type": "array",
        "items": {
          "type": "string",
          "format": "uuid"
        }
      },
      "reportedAt": {
        "type": "string",
        "format": "date-time"
      },
      "updatedAt": {
        "type": "string",
        "format": "date-time"
      },
      "closedAt": {
        "type": "string",
        "format": "date-time",
        "nullable": true
      },
      "stateSince": {
        "type": "string",
        "format": "date-time"
      },
      "expectedMs": {
        "type": "integer",
        "nullable": true
      },
      "escalation": {
        "type": "object",
        "nullable": true,
        "additionalProperties": true
      },
      "notRecoverable": {
        "type": "boolean"
      },
      "notRecoverableReason": {
        "type": "string",
        "nullable": true
      },
      "nextDeadline": {
        "type": "object",
        "properties": {
          "timer": {
            "type": "string"
          },
          "at": {
            "type": "string",
            "format": "date-time"
          }
        },
        "required": [
          "timer",
          "at"
        ]
      },
      "stuck": {
        "type": "boolean"
      },
      "stuckReason": {
        "type": "string",
        "nullable": true
      },
      "saga": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string",
            "format": "uuid"
          },
          "state": {
            "type": "string"
          },
          "version": {
            "type": "integer"
          },
          "definitionVersion": {
            "type": "integer"
          },
          "tenantPolicyVersion": {
            "type": "integer"
          },
          "supplierPolicyVersion": {
            "type": "integer"
          },
          "startedAt": {
            "type": "string",
            "format": "date-time"
          },
          "closedAt": {
            "type": "string",
            "format": "date-time",
            "nullable": true
          },
          "resolution": {
            "type": "string",
            "nullable": true
          },
          "refundTiming": {
            "type": "string"
          },
          "refunds": {
            "type": "object",
            "properties": {
              "CUSTOMER_REFUND": {
                "type": "object",
                "properties": {
                  "status": {
                    "type": "string"
                  },
                  "refundId": {
                    "type": "string",
                    "format": "uuid"
                  },
                  "amountMinor": {
                    "type": "integer"
                  }
                },
                "required": [
                  "status",
                  "refundId",
                  "amountMinor"
                ]
              }
            },
            "required": [
              "CUSTOMER_REFUND"
            ]
          }
        },
        "required": [
          "id",
          "state",
          "version",
          "definitionVersion",
          "tenantPolicyVersion",
          "supplierPolicyVersion",
          "startedAt",
          "closedAt",
          "resolution",
          "refundTiming",
          "refunds"
        ],
        "nullable": true
      },
      "currentStep": {
        "type": "object",
        "properties": {
          "state": {
            "type": "string"
          },
          "since": {
            "type": "string",
            "format": "date-time"
          },
          "expectedMs": {
            "type": "integer",
            "nullable": true
          },
          "expectedBy": {
            "type": "string",
            "format": "date-time",
            "nullable": true
          },
          "deadlines": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "timer": {
                  "type": "string"
                },
                "at": {
                  "type": "string",
                  "format": "date-time"
                },
                "status": {
                  "type": "string"
                },
                "overdue": {
                  "type": "boolean"
                }
              },
              "required": [
                "timer",
                "at",
                "status",
                "overdue"
              ]
            }
          }
        },
        "required": [
          "state",
          "since",
          "expectedMs",
          "expectedBy",
          "deadlines"
        ]
      },
      "claims": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "supplierId": {
              "type": "string",
              "format": "uuid"
            },
            "supplierName": {
              "type": "string"
            },
            "requestId": {
              "type": "string",
              "format": "uuid"
            },
            "requestKind": {
              "type": "string"
            },
            "status": {
              "type": "string"
            },
            "claimMinor": {
              "type": "integer"
            },
            "grantedMinor": {
              "type": "integer"
            },
            "reminders": {
              "type": "integer"
            },
            "rmaNumber": {
              "type": "string",
              "nullable": true
            },
            "reason": {
              "type": "string",
              "nullable": true
            },
            "notRecoverable": {
              "type": "string",
              "nullable": true
            },
            "canRecordDecision": {
              "type": "boolean"
            }
          },
          "required": [
            "supplierId",
            "status"
          ],
          "additionalProperties": true
        }
      },
      "deliveries": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "deliveryId": {
              "type": "string"
            },
            "requestId": {
              "type": "string",
              "format": "uuid"
            },
            "supplierId": {
              "type": "string",
              "format": "uuid"
            },
            "url": {
              "type": "string"
            },
            "requestKind": {
              "type": "string"
            },
            "status": {
              "type": "string"
            },
            "attempts": {
              "type": "integer"
            },
            "createdAt": {
              "type": "string",
              "format": "date-time"
            },
            "deliveredAt": {
              "type": "string",
              "format": "date-time",
              "nullable": true
            },
            "lastAttempt": {
              "type": "object",
              "properties": {
                "at": {
                  "type": "string"
                },
                "status_code": {
                  "type": "integer"
                },
                "error": {
                  "type": "string",
                  "nullable": true
                },
                "latency_ms": {
                  "type": "integer"
                }
              },
              "required": [
                "at",
                "status_code",
                "error",
                "latency_ms"
              ]
            },
            "canRedeliver": {
              "type": "boolean"
            }
          },
          "required": [
            "deliveryId",
            "requestId",
            "supplierId",
            "url",
            "requestKind",
            "status",
            "attempts",
            "createdAt",
            "deliveredAt",
            "lastAttempt",
            "canRedeliver"
          ]
        }
      },
      "ledger": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "kind": {
              "type": "string"
            },
            "amountMinor": {
              "type": "integer"
            },
            "currency": {
              "type": "string"
            },
            "reference": {
              "type": "string",
              "format": "uuid"
            },
            "at": {
              "type": "string",
              "format": "date-time"
            }
          },
          "required": [
            "kind",
            "amountMinor",
            "currency",
            "reference",
            "at"
          ]
        }
      },
      "amounts": {
        "type": "object",
        "properties": {
          "currency": {
            "type": "string"
          },
          "shopCurrency": {
            "type": "string"
          },
          "refundedMinor": {
            "type": "integer"
          },
          "goodwillMinor": {
            "type": "integer"
          },
          "storeCreditMinor": {
            "type": "integer"
          },
          "returnShippingMinor": {
            "type": "integer"
          },
          "restockingFeeMinor": {
            "type": "integer"
          },
          "supplierCreditRequestedMinor": {
            "type": "integer"
          },
          "supplierCreditGrantedMinor": {
            "type": "integer"
          },
          "outflowMinor": {
            "type": "integer"
          },
          "recoveredMinor": {
            "type": "integer"
          },
          "netCostMinor": {
            "type": "integer"
          }
        },
        "required": [
          "currency",
          "shopCurrency",
          "refundedMinor",
          "goodwillMinor",
          "storeCreditMinor",
          "returnShippingMinor",
          "restockingFeeMinor",
          "supplierCreditRequestedMinor",
          "supplierCreditGrantedMinor",
          "outflowMinor",
          "recoveredMinor",
          "netCostMinor"
        ],
        "nullable": true
      },
      "availableActions": {
        "type": "array",
        "items": {
          "type": "string"
        }
      },
      "alerts": {
        "type": "array",
        "items": {
          "$ref": "#/components/schemas/OpsAlert"
        }
      },
      "timeline": {
        "type": "object",
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "kind": {
                  "type": "string"
                },
                "at": {
                  "type": "string",
                  "format": "date-time"
                },
                "key": {
                  "type": "string"
                },
                "data": {
                  "type": "object",
                  "additionalProperties": true,
                  "description": "What the step recorded (free-form, depends on the cause)"
                }
              },
              "required": [
                "kind",
                "at",
                "key",
                "data"
              ]
            }
          },
          "nextCursor": {
            "type": "string",
            "nullable": true
          }
        },
        "required": [
          "items",
          "nextCursor"
        ]
      }
    },
    "required": [
      "returnId",
      "tenantId",
      "orderId",
      "externalOrderId",
      "eventType",
      "reason",
      "state",
      "sagaId",
      "sagaVersion",
      "suppliers",
      "supplierIds",
      "reportedAt",
      "updatedAt",
      "closedAt",
      "stateSince",
      "expectedMs",
      "escalation",
      "notRecoverable",
      "notRecoverableReason",
      "nextDeadline",
      "stuck",
      "stuckReason",
      "saga",
      "currentStep",
      "claims",
      "deliveries",
      "ledger",
      "amounts",
      "availableActions",
      "alerts",
      "timeline"
    ],
    "example": {
      "returnId": "448fcaee-1ff9-4ce6-82c2-4988404714c6",
      "tenantId": "8a39ec93-dbcd-4ace-924c-d4f4cf3dd703",
      "orderId": "357b77a2-26be-4a7f-a5ec-30efbe433cc3",
      "externalOrderId": "gid://shopify/Order/1001",
      "eventType": "DAMAGED",
      "reason": "Arrived broken",
      "state": "COMPLETED",
      "sagaId": "3afe8ae8-aa99-54bf-bc76-abaadeae8148",
      "sagaVersion": 7,
      "suppliers": [
        "Shenzhen Goods"
      ],
      "supplierIds": [
        "34e0ebcf-69b0-4c41-904e-a04c99453809"
      ],
      "reportedAt": "2026-12-07T17:08:03.598Z",
      "updatedAt": "2026-12-07T17:08:06.608Z",
      "closedAt": "2026-12-07T17:08:06.608Z",
      "stateSince": "2026-12-07T17:08:06.608Z",
      "expectedMs": null,
      "escalation": null,
      "notRecoverable": false,
      "notRecoverableReason": null,
      "nextDeadline": {
        "timer": "FEEDBACK",
        "at": "2026-12-10T17:08:06.608Z"
      },
      "stuck": false,
      "stuckReason": null,
      "saga": {
        "id": "3afe8ae8-aa99-54bf-bc76-abaadeae8148",
        "state": "COMPLETED",
        "version": 7,
        "definitionVersion": 1,
        "tenantPolicyVersion": 2,
        "supplierPolicyVersion": 2,
        "startedAt": "2026-12-07T17:08:03.962Z",
        "closedAt": "2026-12-07T17:08:06.608Z",
        "resolution": "REFUND",
        "refundTiming": "ON_SUPPLIER_APPROVAL",
        "refunds": {
          "CUSTOMER_REFUND": {
            "status": "ISSUED",
            "refundId": "ff94fae4-4f66-540a-8fc4-89cd9552b156",
            "amountMinor": 4493
          }
        }
      },
      "currentStep": {
        "state": "COMPLETED",
        "since": "2026-12-07T17:08:06.608Z",
        "expectedMs": null,
        "expectedBy": null,
        "deadlines": [
          {
            "timer": "FEEDBACK",
            "at": "2026-12-10T17:08:06.608Z",
            "status": "PENDING",
            "overdue": false
          },
          {
            "timer": "SUPPLIER_SLA:34e0ebcf-69b0-4c41-904e-a04c99453809",
            "at": "2026-12-08T17:08:03.973Z",
            "status": "CANCELLED",
            "overdue": false
          }
        ]
      },
      "claims": [
        {
          "supplierId": "34e0ebcf-69b0-4c41-904e-a04c99453809",
          "supplierName": "Shenzhen Goods",
          "requestId": "9f82f43f-a0a9-551b-9e40-bd61d746bda5",
          "requestKind": "CREDIT",
          "status": "APPROVED",
          "claimMinor": 3998,
          "grantedMinor": 3998,
          "reminders": 0,
          "rmaNumber": null,
          "reason": null,
          "notRecoverable": null,
          "canRecordDecision": false
        }
      ],
      "deliveries": [
        {
          "deliveryId": "msg_9f82f43fa0a9551b9e40bd61d746bda5",
          "requestId": "9f82f43f-a0a9-551b-9e40-bd61d746bda5",
          "supplierId": "34e0ebcf-69b0-4c41-904e-a04c99453809",
          "url": "http://127.0.0.1:34339/webhooks",
          "requestKind": "CREDIT",
          "status": "DELIVERED",
          "attempts": 2,
          "createdAt": "2026-12-07T17:08:04.160Z",
          "deliveredAt": "2026-12-07T17:08:05.670Z",
          "lastAttempt": {
            "at": "2026-12-07T17:08:05.67+00:00",
            "status_code": 200,
            "error": null,
            "latency_ms": 40
          },
          "canRedeliver": false
        }
      ],
      "ledger": [
        {
          "kind": "SUPPLIER_CREDIT_REQUESTED",
          "amountMinor": 3998,
          "currency": "EUR",
          "reference": "34e0ebcf-69b0-4c41-904e-a04c99453809",
          "at": "2026-12-07T17:08:03.983Z"
        },
        {
          "kind": "SUPPLIER_CREDIT_GRANTED",
          "amountMinor": 3998,
          "currency": "EUR",
          "reference": "9f82f43f-a0a9-551b-9e40-bd61d746bda5",
          "at": "2026-12-07T17:08:05.965Z"
        }
      ],
      "amounts": {
        "currency": "EUR",
        "shopCurrency": "EUR",
        "refundedMinor": 4493,
        "goodwillMinor": 0,
        "storeCreditMinor": 0,
        "returnShippingMinor": 0,
        "restockingFeeMinor": 0,
        "supplierCreditRequestedMinor": 3998,
        "supplierCreditGrantedMinor": 3998,
        "outflowMinor": 4493,
        "recoveredMinor": 3998,
        "netCostMinor": 495
      },
      "availableActions": [
        "NOTE"
      ],
      "alerts": [],
      "timeline": {
        "items": [
          {
            "kind": "reported",
            "at": "2026-12-07T17:08:03.598Z",
            "key": "a",
            "data": {
              "reason": "Arrived broken",
              "eventType": "DAMAGED",
              "resolution": "REFUND",
              "notRecoverable": null
            }
          },
          {
            "kind": "transition",
            "at": "2026-12-07T17:08:03.973Z",
            "key": "t0000000000000000001",
            "data": {
              "to": "AWAITING_SUPPLIER",
              "from": "RECEIVED",
              "cause": "Started",
              "event": null,
              "effects": [
                "notify",
                "supplier.request"
              ],
              "message": "ReturnReported",
              "messageId": "f559b2d7-588f-4ce2-aad1-093bd34dd3eb"
            }
          }
        ],
        "nextCursor": null
      }
    }
  },
  "TimelinePage": {
    "type": "object",
    "properties": {
      "items": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "kind": {
              "type": "string"
            },
            "at": {
              "type": "string",
              "format": "date-time"
            },
            "key": {
              "type": "string"
            },
            "data": {
              "type": "object",
              "additionalProperties": true,
              "description": "What the step recorded (free-form, depends on the cause)"
            }
          },
          "required": [
            "kind",
            "at",
            "key",
            "data"
          ]
        }
      },
      "nextCursor": {
        "type": "string",
        "nullable": true
      }
    },
    "required": [
      "items",
      "nextCursor"
    ],
    "example": {
      "items": [
        {
          "kind": "reported",
          "at": "2026-12-07T17:08:03.598Z",
          "key": "a",
          "data": {
            "reason": "Arrived broken",
            "eventType": "DAMAGED",
            "resolution": "REFUND",
            "notRecoverable": null
          }
        },
        {
          "kind": "transition",
          "at": "2026-12-07T17:08:03.973Z",
          "key": "t0000000000000000001",
          "data": {
            "to": "AWAITING_SUPPLIER",
            "from": "RECEIVED",
            "cause": "Started",
            "event": null,
            "effects": [
              "notify",
              "supplier.request"
            ],
            "message": "ReturnReported",
            "messageId": "f559b2d7-588f-4ce2-aad1-093bd34dd3eb"
          }
        }
      ],
      "nextCursor": null
    }
  },
  "OpsActionResult": {
    "type": "object",
    "properties": {
      "actionId": {
        "type": "string",
        "format": "uuid"
      },
      "action": {
        "type": "string"
      },
      "returnId": {
        "type": "string",
        "format": "uuid"
      },
      "sagaId": {
        "type": "string",
        "format": "uuid"
      },
      "actor": {
        "type": "string"
      },
      "at": {
        "type": "string",
        "format": "date-time"
      },
      "replayed": {
        "type": "boolean"
      },
      "status": {
        "type": "string"
      }
    },
    "required": [
      "actionId",
      "action",
      "returnId",
      "sagaId",
      "actor",
      "at",
      "replayed",
      "status"
    ],
    "example": {
      "actionId": "0d24bfcb-cfba-5a51-9649-431974452235",
      "action": "NOTE",
      "returnId": "448fcaee-1ff9-4ce6-82c2-4988404714c6",
      "sagaId": "3afe8ae8-aa99-54bf-bc76-abaadeae8148",
      "actor": "Ana <ops_d9e89b6cf3f5>",
      "at": "2026-12-07T17:08:07.518Z",
      "replayed": false,
      "status": "RECORDED"
    }
  },
  "BatchPreview": {
    "type": "object",
    "properties": {
      "action": {
        "type": "string"
      },
      "matched": {
        "type": "integer"
      },
      "applicable": {
        "type": "integer"
      },
      "byState": {
        "type": "object",
        "properties": {}
      },
      "returnIds": {
        "type": "array",
        "items": {
          "type": "string",
          "format": "uuid"
        }
      }
    },
    "required": [
      "action",
      "matched",
      "applicable",
      "byState",
      "returnIds"
    ],
    "example": {
      "action": "RETRY",
      "matched": 0,
      "applicable": 0,
      "byState": {},
      "returnIds": []
    }
  },
  "BatchRun": {
    "type": "object",
    "properties": {
      "batchId": {
        "type": "string",
        "format": "uuid"
      },
      "action": {
        "type": "string"
      },
      "requested": {
        "type": "integer"
      },
      "skipped": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "returnId": {
              "type": "string",
              "format": "uuid"
            },
            "reason": {
              "type": "string",
              "nullable": true
            }
          },
          "required": [
            "returnId",
            "reason"
          ]
        }
      },
      "replayed": {
        "type": "boolean"
      }
    },
    "required": [
      "batchId",
      "action",
      "requested",
      "skipped",
      "replayed"
    ],
    "example": {
      "batchId": "324344e6-9d94-5c64-8b34-0cf08010c0c3",
      "action": "RETRY",
      "requested": 0,
      "skipped": [],
      "replayed": false
    }
  },
  "OpsFigures": {
    "type": "object",
    "properties": {
      "windowDays": {
        "type": "integer"
      },
      "since": {
        "type": "string",
        "format": "date-time"
      },
      "openByState": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "eventType": {
              "type": "string",
              "enum": [
                "DAMAGED",
                "WRONG_ITEM",
                "LOST",
                "QUALITY_ISSUE",
                "LATE_DELIVERY",
                null
              ],
              "nullable": true
            },
            "state": {
              "type": "string"
            },
            "count": {
              "type": "integer"
            }
          },
          "required": [
            "eventType",
            "state",
            "count"
          ]
        }
      },
      "timeToResolution": {
        "type": "object",
        "properties": {
          "closed": {
            "type": "integer"
          },
          "p50Seconds": {
            "type": "number",
            "nullable": true
          },
          "p90Seconds": {
            "type": "number",
            "nullable": true
          },
          "byEventType": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "eventType": {
                  "type": "string",
                  "enum": [
                    "DAMAGED",
                    "WRONG_ITEM",
                    "LOST",
                    "QUALITY_ISSUE",
                    "LATE_DELIVERY"
                  ]
                },
                "closed": {
                  "type": "integer"
                },
                "p50Seconds": {
                  "type": "number",
                  "nullable": true
                },
                "p90Seconds": {
                  "type": "number",
                  "nullable": true
                }
              },
              "required": [
                "eventType",
                "closed",
                "p50Seconds",
                "p90Seconds"
              ]
            }
          }
        },
        "required": [
          "closed",
          "p50Seconds",
          "p90Seconds",
          "byEventType"
        ]
      },
      "refunds": {
        "type": "object",
        "properties": {
          "byStatus": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "status": {
                  "type": "string"
                },
                "currency": {
                  "type": "string"
                },
                "count": {
                  "type": "integer"
                },
                "amountMinor": {
                  "type": "integer"
                }
              },
              "required": [
                "status",
                "currency",
                "count",
                "amountMinor"
              ]
            }
          },
          "byDay": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "day": {
                  "type": "string"
                },
                "currency": {
                  "type": "string"
                },
                "count": {
                  "type": "integer"
                },
                "amountMinor": {
                  "type": "integer"
                }
              },
              "required": [
                "day",
                "currency",
                "count",
                "amountMinor"
              ]
            }
          }
        },
        "required": [
          "byStatus",
          "byDay"
        ]
      },
      "supplierRecovery": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "supplierId": {
              "type": "string",
              "format": "uuid"
            },
            "name": {
              "type": "string"
            },
            "currency": {
              "type": "string"
            },
            "requestedMinor": {
              "type": "integer"
            },
            "grantedMinor": {
              "type": "integer"
            },
            "recoveryRate": {
              "type": "number",
              "nullable": true
            }
          },
          "required": [
            "supplierId",
            "name",
            "currency",
            "requestedMinor",
            "grantedMinor",
            "recoveryRate"
          ]
        }
      },
      "returnsByEventType": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "eventType": {
              "type": "string",
              "enum": [
                "DAMAGED",
                "WRONG_ITEM",
                "LOST",
                "QUALITY_ISSUE",
                "LATE_DELIVERY"
              ]
            },
            "count": {
              "type": "integer"
            }
          },
          "required": [
            "eventType",
            "count"
          ]
        }
      },
      "returnsByReason": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "reason": {
              "type": "string",
              "nullable": true
            },
            "count": {
              "type": "integer"
            }
          },
          "required": [
            "reason",
            "count"
          ]
        }
      },
      "returnsBySupplier": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "supplierId": {
              "type": "string",
              "format": "uuid"
            },
            "name": {
              "type": "string"
            },
            "count": {
              "type": "integer"
            }
          },
          "required": [
            "supplierId",
            "name",
            "count"
          ]
        }
      }
    },
    "required": [
      "windowDays",
      "since",
      "openByState",
      "timeToResolution",
      "refunds",
      "supplierRecovery",
      "returnsByEventType",
      "returnsByReason",
      "returnsBySupplier"
    ],
    "example": {
      "windowDays": 30,
      "since": "2026-11-07T17:08:08.357Z",
      "openByState": [],
      "timeToResolution": {
        "closed": 1,
        "p50Seconds": 2.646,
        "p90Seconds": 2.646,
        "byEventType": [
          {
            "eventType": "DAMAGED",
            "closed": 1,
            "p50Seconds": 2.646,
            "p90Seconds": 2.646
          }
        ]
      },
      "refunds": {
        "byStatus": [
          {
            "status": "SUCCEEDED",
            "currency": "EUR",
            "count": 1,
            "amountMinor": 4493
          }
        ],
        "byDay": [
          {
            "day": "2026-12-07",
            "currency": "EUR",
            "count": 1,
            "amountMinor": 4493
          }
        ]
      },
      "supplierRecovery": [
        {
          "supplierId": "34e0ebcf-69b0-4c41-904e-a04c99453809",
          "name": "Shenzhen Goods",
          "currency": "EUR",
          "requestedMinor": 3998,
          "grantedMinor": 3998,
          "recoveryRate": 1
        }
      ],
      "returnsByEventType": [
        {
          "eventType": "DAMAGED",
          "count": 1
        }
      ],
      "returnsByReason": [
        {
          "reason": "arrived broken",
          "count": 1
        }
      ],
      "returnsBySupplier": [
        {
          "supplierId": "34e0ebcf-69b0-4c41-904e-a04c99453809",
          "name": "Shenzhen Goods",
          "count": 1
        }
      ]
    }
  },
  "SupplierHealthList": {
    "type": "object",
    "properties": {
      "since": {
        "type": "string",
        "format": "date-time"
      },
      "suppliers": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "supplierId": {
              "type": "string",
              "format": "uuid"
            },
            "name": {
              "type": "string"
            },
            "webhookUrl": {
              "type": "string"
            },
            "status": {
              "type": "string"
            },
            "disabledAt": {
              "type": "string",
              "format": "date-time",
              "nullable": true
            },
            "disabledReason": {
              "type": "string",
              "nullable": true
            },
            "failingSince": {
              "type": "string",
              "format": "date-time",
              "nullable": true
            },
            "lastSuccessAt": {
              "type": "string",
              "format": "date-time",
              "nullable": true
            },
            "lastFailureAt": {
              "type": "string",
              "format": "date-time",
              "nullable": true
            },
            "deliveries": {
              "type": "object",
              "properties": {
                "DELIVERED": {
                  "type": "integer"
                }
              },
              "required": [
                "DELIVERED"
              ]
            },
            "last24h": {
              "type": "object",
              "properties": {
                "attempts": {
                  "type": "integer"
                },
                "succeeded": {
                  "type": "integer"
                },
                "failed": {
                  "type": "integer"
                },
                "successRate": {
                  "type": "number",
                  "nullable": true
                },
                "p50LatencyMs": {
                  "type": "number",
                  "nullable": true
                }
              },
              "required": [
                "attempts",
                "succeeded",
                "failed",
                "successRate",
                "p50LatencyMs"
              ]
            },
            "recentAttempts": {
              "type": "array",
              "items": {
                "type": "object",
                "properties": {
                  "at": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "statusCode": {
                    "type": "integer"
                  },
                  "ok": {
                    "type": "boolean"
                  },
                  "latencyMs": {
                    "type": "integer",
                    "nullable": true
                  },
                  "error": {
                    "type": "string",
                    "nullable": true
                  },
                  "deliveryId": {
                    "type": "string"
                  }
                },
                "required": [
                  "at",
                  "statusCode",
                  "ok",
                  "latencyMs",
                  "error",
                  "deliveryId"
                ]
              }
            },
            "health": {
              "type": "string"
            }
          },
          "required": [
            "supplierId",
            "name",
            "webhookUrl",
            "status",
            "disabledAt",
            "disabledReason",
            "failingSince",
            "lastSuccessAt",
            "lastFailureAt",
            "deliveries",
            "last24h",
            "recentAttempts",
            "health"
          ]
        }
      }
    },
    "required": [
      "since",
      "suppliers"
    ],
    "example": {
      "since": "2026-12-06T17:08:08.818Z",
      "suppliers": [
        {
          "supplierId": "34e0ebcf-69b0-4c41-904e-a04c99453809",
          "name": "Shenzhen Goods",
          "webhookUrl": "http://127.0.0.1:34339/webhooks",
          "status": "ACTIVE",
          "disabledAt": null,
          "disabledReason": null,
          "failingSince": null,
          "lastSuccessAt": "2026-12-07T17:08:05.670Z",
          "lastFailureAt": null,
          "deliveries": {
            "DELIVERED": 1
          },
          "last24h": {
            "attempts": 2,
            "succeeded": 2,
            "failed": 0,
            "successRate": 1,
            "p50LatencyMs": 107
          },
          "recentAttempts": [
            {
              "at": "2026-12-07T17:08:05.670Z",
              "statusCode": 200,
              "ok": true,
              "latencyMs": 40,
              "error": null,
              "deliveryId": "msg_9f82f43fa0a9551b9e40bd61d746bda5"
            },
            {
              "at": "2026-12-07T17:08:04.247Z",
              "statusCode": 200,
              "ok": true,
              "latencyMs": 174,
              "error": null,
              "deliveryId": "msg_9f82f43fa0a9551b9e40bd61d746bda5"
            }
          ],
          "health": "HEALTHY"
        }
      ]
    }
  },
  "AlertList": {
    "type": "object",
    "properties": {
      "items": {
        "type": "array",
        "items": {
          "$ref": "#/components/schemas/OpsAlert"
        }
      }
    },
    "required": [
      "items"
    ],
    "example": {
      "items": []
    }
  },
  "RecoveryReport": {
    "type": "object",
    "properties": {
      "from": {
        "type": "string",
        "format": "date-time",
        "nullable": true
      },
      "to": {
        "type": "string",
        "format": "date-time",
        "nullable": true
      },
      "suppliers": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "supplierId": {
              "type": "string",
              "format": "uuid"
            },
            "supplierName": {
              "type": "string"
            },
            "currency": {
              "type": "string"
            },
            "cases": {
              "type": "integer"
            },
            "requestedMinor": {
              "type": "integer"
            },
            "grantedMinor": {
              "type": "integer"
            },
            "recoveryRate": {
              "type": "number",
              "nullable": true
            }
          },
          "required": [
            "supplierId",
            "supplierName",
            "currency",
            "cases",
            "requestedMinor",
            "grantedMinor",
            "recoveryRate"
          ]
        }
      },
      "totals": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "currency": {
              "type": "string"
            },
            "cases": {
              "type": "integer"
            },
            "requestedMinor": {
              "type": "integer"
            },
            "grantedMinor": {
              "type": "integer"
            },
            "recoveryRate": {
              "type": "number",
              "nullable": true
            },
            "outflowMinor": {
              "type": "integer"
            },
            "recoveredMinor": {
              "type": "integer"
            },
            "netCostMinor": {
              "type": "integer"
            }
          },
          "required": [
            "currency",
            "cases",
            "requestedMinor",
            "grantedMinor",
            "recoveryRate",
            "outflowMinor",
            "recoveredMinor",
            "netCostMinor"
          ]
        }
      }
    },
    "required": [
      "from",
      "to",
      "suppliers",
      "totals"
    ],
    "example": {
      "from": null,
      "to": null,
      "suppliers": [
        {
          "supplierId": "34e0ebcf-69b0-4c41-904e-a04c99453809",
          "supplierName": "Shenzhen Goods",
          "currency": "EUR",
          "cases": 1,
          "requestedMinor": 3998,
          "grantedMinor": 3998,
          "recoveryRate": 1
        }
      ],
      "totals": [
        {
          "currency": "EUR",
          "cases": 1,
          "requestedMinor": 3998,
          "grantedMinor": 3998,
          "recoveryRate": 1,
          "outflowMinor": 4493,
          "recoveredMinor": 3998,
          "netCostMinor": 495
        }
      ]
    }
  },
  "TenantTemplateView": {
    "type": "object",
    "properties": {
      "template": {
        "type": "string"
      },
      "locale": {
        "type": "string"
      },
      "variables": {
        "type": "array",
        "items": {
          "type": "string"
        }
      },
      "source": {
        "type": "string"
      },
      "subject": {
        "type": "string"
      },
      "body": {
        "type": "string"
      },
      "version": {
        "type": "integer"
      },
      "updatedAt": {
        "type": "string",
        "format": "date-time",
        "nullable": true
      }
    },
    "required": [
      "template",
      "locale",
      "variables",
      "source",
      "subject",
      "body",
      "version",
      "updatedAt"
    ],
    "example": {
      "template": "CLAIM_RECEIVED",
      "locale": "en",
      "variables": [
        "brand",
        "customerName"
      ],
      "source": "BUILT_IN",
      "subject": "{{brand}}: we received your claim for order {{orderNumber}}",
      "body": "Hi {{customerName}},\n\nWe received your claim about {{items}} from order {{orderNumber}}. We are on it and will keep you posted.\n\n{{brand}}",
      "version": 0,
      "updatedAt": null
    }
  },
  "PolicyGap": {
    "type": "object",
    "properties": {
      "code": {
        "type": "string",
        "description": "What does not line up (WINDOW, EVIDENCE, …)"
      },
      "eventTypes": {
        "type": "array",
        "items": {
          "type": "string",
          "enum": [
            "DAMAGED",
            "WRONG_ITEM",
            "LOST",
            "QUALITY_ISSUE",
            "LATE_DELIVERY"
          ]
        },
        "description": "Event types the gap applies to; absent when it applies to every claim"
      },
      "message": {
        "type": "string"
      }
    },
    "required": [
      "code",
      "message"
    ],
    "example": {
      "code": "WINDOW",
      "message": "tenant promises 45 days, supplier accepts 30"
    }
  },
  "OpsAlert": {
    "type": "object",
    "properties": {
      "id": {
        "type": "integer"
      },
      "kind": {
        "type": "string",
        "example": "STUCK"
      },
      "returnId": {
        "type": "string",
        "format": "uuid"
      },
      "sagaId": {
        "type": "string",
        "format": "uuid",
        "nullable": true
      },
      "externalOrderId": {
        "type": "string"
      },
      "state": {
        "type": "string"
      },
      "reason": {
        "type": "string",
        "nullable": true
      },
      "raisedAt": {
        "type": "string",
        "format": "date-time"
      }
    },
    "required": [
      "id",
      "kind",
      "returnId",
      "sagaId",
      "externalOrderId",
      "state",
      "reason",
      "raisedAt"
    ],
    "example": {
      "id": 7,
      "kind": "STUCK",
      "returnId": "7054aec9-3b63-4aaf-b197-11a7f517c15d",
      "sagaId": "0f4b1c2e-8d7a-5e6f-9a0b-1c2d3e4f5a6b",
      "externalOrderId": "gid://shopify/Order/1001",
      "state": "REFUNDING",
      "reason": "no progress for 74 h (expected 72 h)",
      "raisedAt": "2026-12-07T17:08:08.357Z"
    }
  }
};
