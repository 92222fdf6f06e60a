// Square's published signature vectors (square-python-sdk tests/…/test_webhooks_helper.py,
// identical in the Java, Go, Node, PHP and Ruby SDK tests), with the SDK's rejection cases.
export const squareVector = {
  signatureKey: 'Ibxx_5AKakO-3qeNVR61Dw',
  notificationUrl: 'https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9',
  body: '{"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":"ac3ac95b-f97d-458c-a6e6-18981597e05f","created_at":"2022-07-13T20:30:59.037339943Z","data":{"type":"webhooks","id":"bc368e64-01aa-407e-b46e-3231809b1129"}}',
  signature: 'GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4=',
};

/** `>` and `<` are signed as they are, not HTML-escaped. */
export const squareEscapedVector = { signatureKey: 'signature-key', notificationUrl: 'https://webhook.site/webhooks', body: '{"data":{"type":"webhooks","id":">id<"}}', signature: 'Cxt7+aTi4rKgcA0bC4g9EHdVtLSDWdqccmL5MvihU4U=' };

export const squareUnescapedVector = { signatureKey: 'signature-key', notificationUrl: 'https://webhook.site/webhooks', body: '{"data":{"type":"webhooks","id":"fake_id"}}', signature: 'W3FlCNk5IA3ZQ2LHTWoajvzfaDu/OwY2tNHIHC3IUOA=' };

/** Each must be refused. */
export const squareRejections = {
  urlOffByOne: 'https://webhook.site/79a4f3a-dcfa-49ee-bac5-9d0edad886b9',
  wrongKey: 'MCmhFRxGX82xMwg5FsaoQA',
  wrongHeader: '1z2n3DEJJiUPKcPzQo1ftvbxGdw=',
  changedCreatedAt: `
        {
            "merchant_id": "MLEFBHHSJGVHD",
            "type": "webhooks.test_notification",
            "event_id": "ac3ac95b-f97d-458c-a6e6-18981597e05f",
            "created_at": "2022-06-13T20:30:59.037339943Z",
            "data": {"type": "webhooks", "id": "bc368e64-01aa-407e-b46e-3231809b1129"}
        }
    `,
  prettyPrinted: `
        {
            "merchant_id": "MLEFBHHSJGVHD",
            "type": "webhooks.test_notification",
            "event_id": "ac3ac95b-f97d-458c-a6e6-18981597e05f",
            "created_at": "2022-07-13T20:30:59.037339943Z",
            "data": {
              "type": "webhooks",
              "id": "bc368e64-01aa-407e-b46e-3231809b1129"
            }
        }
        `,
};
